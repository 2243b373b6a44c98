package dev.keygate;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * What an {@link AuthenticationEngine} has decided and how its caches and hashing slots stand,
 * read live: every method reads the current figure (no snapshot is taken, nothing is allocated
 * except by {@link #storeUnavailableSince()} and {@link #toString()}). Counts only grow; they
 * start at zero when the engine is built. What a metrics binder (keygate-micrometer) or a health
 * check reads.
 *
 * <p>Outcomes: each {@link AuthenticationEngine#authenticate} counts once, as {@link
 * #authenticated(AuthMethod)}, {@link #refused(Refusal)} or {@link #deferred()}; each refusal of
 * {@link AuthenticationEngine#authorize} and each {@link AuthenticationEngine#recordRefusal} counts
 * once more under its refusal (a request authenticated and then refused for a scope counts in both).
 * Counting costs a striped counter increment per request, no allocation. Thread-safe.
 */
public final class AuthenticationStatistics {
  private static final AuthMethod[] METHODS = AuthMethod.values();
  private static final Refusal[] REFUSALS = Refusal.values();

  private final LongAdder[] authenticated = adders(METHODS.length);
  private final LongAdder[] refused = adders(REFUSALS.length);
  private final LongAdder deferred = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private final LongAdder cacheMisses = new LongAdder();
  private final LongAdder hashingRefused = new LongAdder();
  private final KeyVerifier verifier;
  private final UsageRecorder usage;
  private final RateLimiters limiters;

  AuthenticationStatistics(KeyVerifier verifier, UsageRecorder usage, RateLimiters limiters) {
    this.verifier = verifier;
    this.usage = usage;
    this.limiters = limiters;
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] out = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      out[i] = new LongAdder();
    }
    return out;
  }

  // --- counting (the engine's) ------------------------------------------------------------------

  /** Counts one outcome of {@code authenticate}: by method, by refusal, or deferred. */
  void count(AuthenticationResult result) {
    if (result instanceof AuthenticationResult.Authenticated a) {
      authenticated[a.principal().method().ordinal()].increment();
    } else if (result instanceof AuthenticationResult.Refused r) {
      refused[r.reason().ordinal()].increment();
    } else {
      deferred.increment();
    }
  }

  void countRefusal(Refusal reason) {
    refused[reason.ordinal()].increment();
  }

  void countCacheHit() {
    cacheHits.increment();
  }

  void countCacheMiss() {
    cacheMisses.increment();
  }

  void countHashingRefused() {
    hashingRefused.increment();
  }

  // --- reading ----------------------------------------------------------------------------------

  /**
   * Requests authenticated with {@code method}.
   *
   * @param method an API key or a Bearer token
   * @return how many requests {@code authenticate} answered authenticated with it
   */
  public long authenticated(AuthMethod method) {
    return authenticated[method.ordinal()].sum();
  }

  /**
   * Requests refused for {@code refusal}: by {@code authenticate}, by {@code authorize} ({@link
   * Refusal#INSUFFICIENT_SCOPE}), by {@code authorizeEnvironment} ({@link Refusal#ENVIRONMENT_NOT_ALLOWED}) and through {@link AuthenticationEngine#recordRefusal}.
   *
   * @param refusal a row of the response table
   * @return how many refusals of that row were counted
   */
  public long refused(Refusal refusal) {
    return refused[refusal.ordinal()].sum();
  }

  /**
   * Bearer tokens left to the application because no {@link BearerTokenAuthenticator} is set.
   *
   * @return how many requests {@code authenticate} answered deferred
   */
  public long deferred() {
    return deferred.sum();
  }

  /**
   * Keys in the verified-key cache now (approximate, as the cache reports it).
   *
   * @return the number of cached verified keys
   */
  public long cachedKeys() {
    return verifier.cachedKeys();
  }

  /**
   * Lookups of a well-formed key in the verified-key cache that found it verified.
   *
   * @return cache hits so far
   */
  public long cacheHits() {
    return cacheHits.sum();
  }

  /**
   * Lookups of a well-formed key in the verified-key cache that did not (including a key whose
   * verification was still under way).
   *
   * @return cache misses so far
   */
  public long cacheMisses() {
    return cacheMisses.sum();
  }

  /**
   * Uncached verifications this engine ran to the end, whatever they found: one per key however
   * many requests shared it (store lookup, then Argon2id unless the key matched the same stored
   * hash before). Includes those that found no key, a wrong secret, an unreachable store or no
   * free hashing slot.
   *
   * @return uncached verifications completed
   */
  public long verifications() {
    return verifier.verifications();
  }

  /**
   * The total time of {@link #verifications()}: store lookup, waiting for a hashing slot, and
   * hashing.
   *
   * @return nanoseconds spent in uncached verifications
   */
  public long verificationNanos() {
    return verifier.verificationNanos();
  }

  /**
   * Secret verifications (runs of the hasher) so far; fewer than {@link #verifications()} when
   * keys matched a stored hash they had matched before.
   *
   * @return hasher runs so far
   */
  public long hashes() {
    return verifier.hashes();
  }

  /**
   * Hashing slots: how many secret verifications may run at once.
   *
   * @return the number of hashing slots
   */
  public int hashingSlots() {
    return verifier.hashingSlots();
  }

  /**
   * Hashing slots running a verification now.
   *
   * @return slots in use
   */
  public int hashingSlotsInUse() {
    return verifier.hashingNow();
  }

  /**
   * Verifications waiting for a hashing slot now.
   *
   * @return waiting verifications
   */
  public int waitingForHashing() {
    return verifier.waitingForHashing();
  }

  /**
   * Requests answered 503 because no hashing slot came free within the hashing wait (every
   * request sharing such a verification counts).
   *
   * @return requests refused for want of a hashing slot
   */
  public long hashingRefused() {
    return hashingRefused.sum();
  }

  /**
   * The most verifications that ran at once so far.
   *
   * @return the peak of {@link #hashingSlotsInUse()}
   */
  public int peakConcurrentHashes() {
    return verifier.hashingPeak();
  }

  /**
   * Keys in the failed-key cache now (approximate).
   *
   * @return keys remembered as failed
   */
  public long failedKeys() {
    return verifier.failedKeys();
  }

  /**
   * Usage flushes that failed (scheduled, on demand or on close); their counts are kept for the next.
   *
   * @return failed usage writes so far
   */
  public long usageFlushFailures() {
    return usage.flushFailures();
  }

  /**
   * When the engine last found the store unreachable, if it has not reached it since; by the
   * engine's clock. Only uncached verifications ask the store, so an outage is seen (and its end)
   * at the first of them.
   *
   * @return the start of the outage the engine sees now, or empty
   */
  public Optional<Instant> storeUnavailableSince() {
    return Optional.ofNullable(verifier.storeDownSince());
  }

  /**
   * Rate-limit decisions made in this node's memory because the shared bucket store (Redis, say)
   * could not be reached in time; always 0 with {@link RateLimiters#local()}.
   *
   * @return the engine's and the application's limiters' local decisions, see {@link
   *     RateLimiters#localDecisions()}
   */
  public long rateLimitLocalDecisions() {
    return limiters.localDecisions();
  }

  /**
   * When the shared bucket store stopped answering, while it does not answer; empty otherwise and
   * always with {@link RateLimiters#local()}.
   *
   * @return the start of the current outage of the shared limits, if any
   */
  public Optional<Instant> sharedLimitsUnavailableSince() {
    return limiters.sharedUnavailableSince();
  }

  /**
   * The figures, by name; no key ids or secrets.
   *
   * @return the figures, by name
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(512).append("AuthenticationStatistics[");
    for (AuthMethod m : METHODS) {
      sb.append("authenticated.").append(m.name()).append('=').append(authenticated(m)).append(", ");
    }
    for (Refusal r : REFUSALS) {
      sb.append("refused.").append(r.name()).append('=').append(refused(r)).append(", ");
    }
    return sb.append("deferred=").append(deferred())
        .append(", cachedKeys=").append(cachedKeys())
        .append(", cacheHits=").append(cacheHits())
        .append(", cacheMisses=").append(cacheMisses())
        .append(", verifications=").append(verifications())
        .append(", verificationNanos=").append(verificationNanos())
        .append(", hashes=").append(hashes())
        .append(", hashingSlots=").append(hashingSlots())
        .append(", hashingSlotsInUse=").append(hashingSlotsInUse())
        .append(", waitingForHashing=").append(waitingForHashing())
        .append(", hashingRefused=").append(hashingRefused())
        .append(", peakConcurrentHashes=").append(peakConcurrentHashes())
        .append(", failedKeys=").append(failedKeys())
        .append(", usageFlushFailures=").append(usageFlushFailures())
        .append(", storeUnavailableSince=").append(storeUnavailableSince().map(Instant::toString).orElse("none"))
        .append(", rateLimitLocalDecisions=").append(rateLimitLocalDecisions())
        .append(", sharedLimitsUnavailableSince=")
        .append(sharedLimitsUnavailableSince().map(Instant::toString).orElse("none"))
        .append(']').toString();
  }
}
