package dev.keygate.micrometer;

import dev.keygate.AuthMethod;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationStatistics;
import dev.keygate.Refusal;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Binds an {@link AuthenticationEngine}'s {@link AuthenticationStatistics} to a {@link
 * MeterRegistry}: authentications by outcome, uncached verifications and their time, the
 * verified-key cache, hashing slots, failed usage flushes, whether the store is reachable and
 * whether shared rate limits answer.
 * Every meter reads the engine's live figures when the registry publishes (function counters,
 * a function timer, gauges): nothing is recorded per request beyond the engine's own counting.
 *
 * <pre>{@code
 * new KeygateMetrics(keygate.engine(), Tags.of("app", "orders")).bindTo(registry);
 * }</pre>
 *
 * <p>The meters, their tags and meanings are listed in the module's README. The registry holds the
 * engine's statistics weakly (as Micrometer holds what a function meter reads), so bind an engine
 * the application keeps for its life. Bind each engine once per registry.
 */
public final class KeygateMetrics implements MeterBinder {
  /** The tag value where a tag does not apply (a refusal has no method, an authentication no reason). */
  static final String NONE = "none";

  private final AuthenticationEngine engine;
  private final Tags tags;

  /**
   * Meters for {@code engine}, without extra tags.
   *
   * @param engine the engine whose statistics are published
   */
  public KeygateMetrics(AuthenticationEngine engine) {
    this(engine, Tags.empty());
  }

  /**
   * Meters for {@code engine}, each with {@code tags} added (to tell several engines apart, say).
   *
   * @param engine the engine whose statistics are published
   * @param tags added to every meter
   */
  public KeygateMetrics(AuthenticationEngine engine, Iterable<Tag> tags) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    AuthenticationStatistics s = engine.statistics();
    bindOutcomes(registry, s);
    FunctionTimer.builder("keygate.verifications", s, AuthenticationStatistics::verifications,
            AuthenticationStatistics::verificationNanos, TimeUnit.NANOSECONDS)
        .description("uncached key verifications: store lookup and hash").tags(tags).register(registry);
    FunctionCounter.builder("keygate.hashes", s, AuthenticationStatistics::hashes)
        .description("secret verifications run by the hasher (Argon2id)").tags(tags).register(registry);
    bindCache(registry, s);
    bindHashing(registry, s);
    FunctionCounter.builder("keygate.usage.flush.failures", s, AuthenticationStatistics::usageFlushFailures)
        .description("failed writes of usage counts to the store (kept and retried)").tags(tags).register(registry);
    Gauge.builder("keygate.store.unavailable", s, st -> st.storeUnavailableSince().isPresent() ? 1 : 0)
        .description("1 while the engine finds the key store unreachable, else 0").tags(tags).register(registry);
    FunctionCounter.builder("keygate.limits.local.decisions", s, AuthenticationStatistics::rateLimitLocalDecisions)
        .description("rate-limit decisions made by this node alone because the shared limits (Redis) did not answer")
        .tags(tags).register(registry);
    Gauge.builder("keygate.limits.shared.unavailable", s, st -> st.sharedLimitsUnavailableSince().isPresent() ? 1 : 0)
        .description("1 while the shared rate limits (Redis) do not answer and each node limits alone, else 0")
        .tags(tags).register(registry);
  }

  private void bindOutcomes(MeterRegistry registry, AuthenticationStatistics s) {
    String name = "keygate.authentications";
    for (AuthMethod method : AuthMethod.values()) {
      FunctionCounter.builder(name, s, st -> st.authenticated(method))
          .description("requests decided by the engine, by outcome")
          .tags(tags).tag("outcome", "authenticated").tag("method", lower(method)).tag("reason", NONE)
          .register(registry);
    }
    for (Refusal reason : Refusal.values()) {
      FunctionCounter.builder(name, s, st -> st.refused(reason))
          .description("requests decided by the engine, by outcome")
          .tags(tags).tag("outcome", "refused").tag("method", NONE).tag("reason", lower(reason))
          .register(registry);
    }
    FunctionCounter.builder(name, s, AuthenticationStatistics::deferred)
        .description("requests decided by the engine, by outcome")
        .tags(tags).tag("outcome", "deferred").tag("method", lower(AuthMethod.BEARER)).tag("reason", NONE)
        .register(registry);
  }

  private void bindCache(MeterRegistry registry, AuthenticationStatistics s) {
    Gauge.builder("keygate.cache.size", s, AuthenticationStatistics::cachedKeys)
        .description("keys in the engine's cache (approximate)").tags(tags).tag("cache", "verified")
        .register(registry);
    Gauge.builder("keygate.cache.size", s, AuthenticationStatistics::failedKeys)
        .description("keys in the engine's cache (approximate)").tags(tags).tag("cache", "failed")
        .register(registry);
    FunctionCounter.builder("keygate.cache.gets", s, AuthenticationStatistics::cacheHits)
        .description("lookups of well-formed keys in the verified-key cache").tags(tags)
        .tag("cache", "verified").tag("result", "hit").register(registry);
    FunctionCounter.builder("keygate.cache.gets", s, AuthenticationStatistics::cacheMisses)
        .description("lookups of well-formed keys in the verified-key cache").tags(tags)
        .tag("cache", "verified").tag("result", "miss").register(registry);
  }

  private void bindHashing(MeterRegistry registry, AuthenticationStatistics s) {
    Gauge.builder("keygate.hashing.slots.active", s, AuthenticationStatistics::hashingSlotsInUse)
        .description("hashing slots running a secret verification now").tags(tags).register(registry);
    Gauge.builder("keygate.hashing.slots.max", s, AuthenticationStatistics::hashingSlots)
        .description("hashing slots: secret verifications that may run at once").tags(tags).register(registry);
    Gauge.builder("keygate.hashing.slots.peak", s, AuthenticationStatistics::peakConcurrentHashes)
        .description("the most secret verifications that ran at once").tags(tags).register(registry);
    Gauge.builder("keygate.hashing.waiting", s, AuthenticationStatistics::waitingForHashing)
        .description("verifications waiting for a hashing slot now").tags(tags).register(registry);
    FunctionCounter.builder("keygate.hashing.refused", s, AuthenticationStatistics::hashingRefused)
        .description("requests answered 503 because no hashing slot came free in time").tags(tags)
        .register(registry);
  }

  private static String lower(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return "KeygateMetrics[" + tags + "]";
  }
}
