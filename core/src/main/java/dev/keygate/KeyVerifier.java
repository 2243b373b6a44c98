package dev.keygate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.keygate.hash.KeyHasher;
import dev.keygate.internal.KeyDigest;
import dev.keygate.spi.ApiKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a well-formed presented key into a verified record, as cheaply as possible: a positive
 * cache of verified keys and a negative cache of failures (both keyed by the SHA-256 of the whole
 * key), one verification at a time per key (concurrent requests for the same key share it), and
 * Argon2id work under a concurrency limit.
 */
final class KeyVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(KeyVerifier.class);

  /** The outcome of a lookup: a verified key, or a key-level refusal. */
  sealed interface Outcome permits Verified, Failed {}

  /** A key whose secret matched (the current one, or the previous one during a grace period). */
  record Verified(ApiKey key, AuthenticationResult.Authenticated success, List<IpRange> allowedIps,
      boolean viaPreviousSecret) implements Outcome {}

  /** No match ({@link Refusal#INVALID_KEY}) or no answer ({@link Refusal#UNAVAILABLE}). */
  record Failed(Refusal reason) implements Outcome {}

  static final Failed INVALID = new Failed(Refusal.INVALID_KEY);
  static final Failed UNAVAILABLE = new Failed(Refusal.UNAVAILABLE);

  private final ApiKeyStore store;
  private final KeyHasher hasher;
  private final Clock clock;
  private final Function<ApiKey, AuthenticationResult.Authenticated> principals;
  private final Cache<KeyDigest, Verified> verified;
  private final Cache<KeyDigest, Boolean> failed;
  private final ConcurrentHashMap<KeyDigest, CompletableFuture<Outcome>> inFlight = new ConcurrentHashMap<>();
  private final Semaphore hashing;
  private final long hashingWaitNanos;
  private final AtomicLong epoch = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean storeDown = new java.util.concurrent.atomic.AtomicBoolean();
  private final AtomicLong verifications = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger hashingNow = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger hashingPeak = new java.util.concurrent.atomic.AtomicInteger();

  KeyVerifier(ApiKeyStore store, KeyHasher hasher, Clock clock,
      Function<ApiKey, AuthenticationResult.Authenticated> principals, CacheSettings s) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
    this.principals = principals;
    Ticker ticker = () -> clock.millis() * 1_000_000L;
    this.verified = Caffeine.newBuilder().maximumSize(s.maximumSize()).expireAfterWrite(s.ttl())
        .ticker(ticker).executor(s.executor()).build();
    this.failed = Caffeine.newBuilder().maximumSize(s.negativeMaximumSize())
        .expireAfterWrite(s.negativeTtl()).ticker(ticker).executor(s.executor()).build();
    this.hashing = new Semaphore(s.maxConcurrentHashes(), true);
    this.hashingWaitNanos = s.hashingWait().toNanos();
  }

  record CacheSettings(long maximumSize, Duration ttl, long negativeMaximumSize, Duration negativeTtl,
      int maxConcurrentHashes, Duration hashingWait, Executor executor) {}

  /** A verified key from the cache, or null. */
  @Nullable Verified cached(KeyDigest digest) {
    return verified.getIfPresent(digest);
  }

  /** Whether this exact key failed verification recently. */
  boolean recentlyFailed(KeyDigest digest) {
    return failed.getIfPresent(digest) != null;
  }

  /** Looks the key up and verifies its secret; concurrent calls for one key share the work. */
  Outcome verify(ParsedKey key, KeyDigest digest) {
    CompletableFuture<Outcome> mine = new CompletableFuture<>();
    CompletableFuture<Outcome> running = inFlight.putIfAbsent(digest, mine);
    if (running != null) {
      try {
        return running.get(hashingWaitNanos + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        return UNAVAILABLE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return UNAVAILABLE;
      } catch (java.util.concurrent.ExecutionException e) {
        return UNAVAILABLE;
      }
    }
    Outcome outcome = UNAVAILABLE;
    try {
      outcome = lookUpAndVerify(key, digest);
      return outcome;
    } finally {
      inFlight.remove(digest, mine);
      mine.complete(outcome);
    }
  }

  private Outcome lookUpAndVerify(ParsedKey key, KeyDigest digest) {
    long epochAtStart = epoch.get();
    ApiKey record;
    try {
      record = store.findById(key.id()).orElse(null);
    } catch (RuntimeException e) {
      if (storeDown.compareAndSet(false, true)) { // once per outage, not once per request
        LOG.warn("key store unavailable (uncached keys get 503 until it is back): {}", e.toString());
      }
      return UNAVAILABLE;
    }
    if (storeDown.compareAndSet(true, false)) {
      LOG.info("key store reachable again");
    }
    if (record == null) {
      failed.put(digest, Boolean.TRUE);
      return INVALID;
    }
    boolean viaPrevious;
    byte[] secret = key.secretBytes();
    try {
      if (!hashing.tryAcquire(hashingWaitNanos, TimeUnit.NANOSECONDS)) {
        return UNAVAILABLE;
      }
      verifications.incrementAndGet();
      hashingPeak.accumulateAndGet(hashingNow.incrementAndGet(), Math::max);
      try {
        boolean current = hasher.verify(record.secretHash(), secret);
        viaPrevious = !current && record.previousSecretValidAt(clock.instant())
            && hasher.verify(record.previousSecretHash(), secret);
        if (!current && !viaPrevious) {
          failed.put(digest, Boolean.TRUE);
          return INVALID;
        }
        if (current && record.revokedAt() == null && hasher.needsRehash(record.secretHash())) {
          upgradeHash(record, secret);
        }
      } finally {
        hashingNow.decrementAndGet();
        hashing.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNAVAILABLE;
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    Verified v = new Verified(record, principals.apply(record), parseRanges(record), viaPrevious);
    verified.put(digest, v);
    if (epoch.get() != epochAtStart) {
      // a key changed while we verified: what we read may be stale, so do not keep it
      verified.invalidate(digest);
    }
    return v;
  }

  private void upgradeHash(ApiKey record, byte[] secret) {
    try {
      if (store.update(record.toBuilder().secretHash(hasher.hash(secret)).build())) {
        LOG.info("upgraded the hash of key {} to the current parameters", record.id());
      }
    } catch (RuntimeException e) {
      LOG.warn("could not upgrade the hash of key {}: {}", record.id(), e.toString());
    }
  }

  private static List<IpRange> parseRanges(ApiKey key) {
    List<IpRange> out = new ArrayList<>(key.allowedIps().size());
    for (String s : key.allowedIps()) {
      IpRange r = IpRange.parse(s);
      if (r != null) {
        out.add(r);
      } else {
        LOG.warn("key {} has an unparseable allowed IP entry; it matches nothing", key.id());
      }
    }
    if (out.isEmpty() && !key.allowedIps().isEmpty()) {
      out.add(IpRange.parse("0.0.0.0/32")); // a broken allowlist must not mean "any address"
    }
    return List.copyOf(out);
  }

  /** Drops every cached verification of {@code keyId}, and any running one from being cached. */
  void invalidate(String keyId) {
    epoch.incrementAndGet();
    verified.asMap().values().removeIf(v -> v.key().id().equals(keyId));
  }

  /** Drops one cached verification (a previous secret whose grace period ended). */
  void invalidate(KeyDigest digest) {
    verified.invalidate(digest);
  }

  /** Entries in the verified-key cache (approximate). */
  long cachedKeys() {
    return verified.estimatedSize();
  }

  Map<String, Long> stats() {
    return Map.of("cachedKeys", verified.estimatedSize(), "failedKeys", failed.estimatedSize(),
        "verifications", verifications.get(), "peakConcurrentHashes", (long) hashingPeak.get());
  }
}
