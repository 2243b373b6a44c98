package dev.keygate;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.keygate.hash.KeyHasher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a well-formed presented key into a verified record, as cheaply as possible: a positive
 * cache of verified keys and a negative cache of failures (both keyed by the SHA-256 of the whole
 * key), one verification at a time per key (concurrent requests for the same key share it), and
 * Argon2id work in {@link HashingSlots}.
 *
 * <p>A key whose secret matched is also remembered, for a day of disuse, as "this key matches the
 * stored hash H". When its cache entry expires, the next request reads the record again (status,
 * scopes, revocation: nothing is older than the cache period) but runs no Argon2id while the
 * stored hash is still H. A key in use therefore never goes back through hashing, and so never
 * meets a queue a flood of wrong secrets for its id may have built.
 *
 * <p>Failures are charged, once per hash actually run, to the key id's and the owner's failure
 * budgets. They decide who hashes first: an id and owner without a wrong secret in the last hour
 * before any other, then the fewer recent failures the sooner. An id or
 * owner over budget is not refused: its
 * verifications wait behind everyone else's and run one at a time per id (see {@link
 * HashingSlots}).
 *
 * <p>Guards against revocation races: verifications under way live in the verified-key cache as
 * incomplete futures, so concurrent requests for one key share one. A change to a key (revoke,
 * rotate, delete, here or pushed by the store) removes every verification under way, and the key's
 * verified entries: a request that starts afterwards cannot join one that read the record before
 * the change, and a removed verification's result is not cached when it finishes (Caffeine keeps a
 * finished future only if it is still the one mapped, checked atomically). So once {@code
 * invalidate} has returned, no request that starts afterwards is accepted on a record read before it.
 */
final class KeyVerifier {
  private static final Logger LOG = LoggerFactory.getLogger(KeyVerifier.class);
  private static final Duration REMEMBER_MATCHES_FOR = Duration.ofDays(1);
  /** How long a wrong secret ranks its key id and owner behind clean ones for hashing slots. */
  static final Duration RANK_FAILURES_FOR = Duration.ofHours(1);
  private static final long REMEMBERED_FAILURES = 100_000;

  /** The outcome of a lookup: a verified key, or a key-level refusal. */
  sealed interface Outcome permits Verified, Failed {}

  /** A key whose secret matched (the current one, or the previous one during a grace period). */
  record Verified(ApiKey key, AuthenticationResult.Authenticated success, List<IpRange> allowedIps,
      boolean viaPreviousSecret) implements Outcome {}

  /** No match ({@link Refusal#INVALID_KEY}) or no answer ({@link Refusal#UNAVAILABLE}). */
  record Failed(Refusal reason) implements Outcome, SecretCheck {}

  /** What running the hasher found: the stored hash the secret matched, or a refusal. */
  private sealed interface SecretCheck permits Matched, Failed {}

  private record Matched(String hash, boolean previous) implements SecretCheck {}

  static final Failed INVALID = new Failed(Refusal.INVALID_KEY);
  static final Failed UNAVAILABLE = new Failed(Refusal.UNAVAILABLE);
  /** {@link #UNAVAILABLE} because no hashing slot came free in time (told apart by identity, for counting). */
  static final Failed NO_HASHING_SLOT = new Failed(Refusal.UNAVAILABLE);

  private final ApiKeyStore store;
  private final KeyHasher hasher;
  private final Clock clock;
  private final BiFunction<ApiKey, Boolean, AuthenticationResult.Authenticated> principals;
  /** Verifications under way, shared, and verified keys for the cache period (see the class comment). */
  private final AsyncCache<KeyDigest, Outcome> verified;
  private final Cache<KeyDigest, String> matchedHashes;
  private final Cache<KeyDigest, Boolean> failed;
  private final HashingSlots slots;
  private final long hashingWaitNanos;
  private final RateLimiter idFailures;
  private final RateLimiter ownerFailures;
  private final Cache<String, Boolean> idsFailedLately;
  private final Cache<String, Boolean> ownersFailedLately;
  /** When the store was last found unreachable, while it has not answered since; else null. */
  private final AtomicReference<@Nullable Instant> storeDownSince = new AtomicReference<>();
  private final int maxConcurrentHashes;
  private final AtomicLong hashes = new AtomicLong();
  private final LongAdder verifications = new LongAdder();
  private final LongAdder verificationNanos = new LongAdder();
  private final AtomicInteger hashingNow = new AtomicInteger();
  private final AtomicInteger hashingPeak = new AtomicInteger();

  KeyVerifier(ApiKeyStore store, KeyHasher hasher, Clock clock,
      BiFunction<ApiKey, Boolean, AuthenticationResult.Authenticated> principals, CacheSettings s) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
    this.principals = principals;
    Ticker ticker = () -> clock.millis() * 1_000_000L;
    // an async cache weighs a future under way 0: it neither counts against the bound nor is evicted,
    // so verifications under way cannot push verified keys out (VerificationUnderWayTest)
    this.verified = Caffeine.newBuilder().maximumSize(s.maximumSize())
        .expireAfterWrite(s.ttl()).ticker(ticker).executor(s.executor()).buildAsync();
    // equivalent mutant (>=): at exactly one day both branches are one day
    Duration remember = s.ttl().compareTo(REMEMBER_MATCHES_FOR) > 0 ? s.ttl() : REMEMBER_MATCHES_FOR;
    this.matchedHashes = Caffeine.newBuilder().maximumSize(s.maximumSize()).expireAfterAccess(remember)
        .ticker(ticker).executor(s.executor()).build();
    this.failed = Caffeine.newBuilder().maximumSize(s.negativeMaximumSize())
        .expireAfterWrite(s.negativeTtl()).ticker(ticker).executor(s.executor()).build();
    this.hashingWaitNanos = s.hashingWait().toNanos();
    this.idFailures = s.limiters().limiter("keygate.wrong-secrets-per-key-id", s.failureBudget(), clock);
    this.ownerFailures = s.limiters().limiter("keygate.wrong-secrets-per-owner", s.failureBudget(), clock);
    this.idsFailedLately = Caffeine.newBuilder().maximumSize(REMEMBERED_FAILURES).expireAfterWrite(RANK_FAILURES_FOR)
        .ticker(ticker).executor(s.executor()).build();
    this.ownersFailedLately = Caffeine.newBuilder().maximumSize(REMEMBERED_FAILURES)
        .expireAfterWrite(RANK_FAILURES_FOR).ticker(ticker).executor(s.executor()).build();
    this.maxConcurrentHashes = s.maxConcurrentHashes();
    this.slots = new HashingSlots(s.maxConcurrentHashes(), new Standings());
  }

  /**
   * Ranks waiting verifications for hashing slots: an id and owner without a wrong secret in the
   * last hour rank 0; one with a wrong secret in that hour ranks 1 plus the failures its budget has
   * not refilled yet. A flood's ids and owners are charged as soon as they first fail, and stay
   * behind clean keys for an hour, so an attacker gets one clean attempt per id and owner per hour
   * however it spreads its wrong secrets, and a key's first use waits only for other clean keys.
   */
  private final class Standings implements HashingSlots.Standings {
    @Override
    public double rank(String keyId, @Nullable String owner) {
      double byId = rank(idsFailedLately, idFailures, keyId);
      return owner == null ? byId : Math.max(byId, rank(ownersFailedLately, ownerFailures, owner));
    }

    private double rank(Cache<String, Boolean> failedLately, RateLimiter budget, String key) {
      return failedLately.getIfPresent(key) == null ? 0 : 1 + budget.spent(key);
    }

    @Override
    public boolean overBudget(String keyId, @Nullable String owner) {
      return idFailures.retryAfter(keyId) > 0 || (owner != null && ownerFailures.retryAfter(owner) > 0);
    }
  }

  record CacheSettings(long maximumSize, Duration ttl, long negativeMaximumSize, Duration negativeTtl,
      int maxConcurrentHashes, Duration hashingWait, RateLimit failureBudget, RateLimiters limiters,
      Executor executor) {}

  /** A verified key from the cache, or null. */
  @Nullable Verified cached(KeyDigest digest) {
    CompletableFuture<Outcome> f = verified.getIfPresent(digest);
    // equivalent mutant (instanceof always true): a finished future still mapped is always Verified
    // (verify() unmaps any other outcome before completing it); the test keeps that a typed check
    return f != null && f.isDone() && f.join() instanceof Verified v ? v : null;
  }

  /** Whether this exact key failed verification recently. */
  boolean recentlyFailed(KeyDigest digest) {
    return failed.getIfPresent(digest) != null;
  }

  /** Looks the key up and verifies its secret; concurrent calls for one key share the work. */
  Outcome verify(ParsedKey key, KeyDigest digest) {
    // get() maps a new future atomically or hands out the one under way; invalidate() removes those
    // under way, and the cache keeps a finished future only if it is still the one mapped
    CompletableFuture<Outcome> mine = new CompletableFuture<>();
    CompletableFuture<Outcome> running = verified.get(digest, (d, executor) -> mine);
    if (running != mine) {
      return await(running);
    }
    Outcome outcome = UNAVAILABLE;
    long start = System.nanoTime();
    try {
      outcome = lookUpAndVerify(key, digest);
      return outcome;
    } finally {
      verificationNanos.add(System.nanoTime() - start);
      verifications.increment();
      if (!(outcome instanceof Verified)) {
        verified.asMap().remove(digest, mine); // only a verified key stays
      }
      mine.complete(outcome);
    }
  }

  private Outcome await(CompletableFuture<Outcome> running) {
    try {
      return running.get(hashingWaitNanos + TimeUnit.SECONDS.toNanos(5), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNAVAILABLE;
    } catch (TimeoutException | ExecutionException e) {
      return UNAVAILABLE;
    }
  }

  private Outcome lookUpAndVerify(ParsedKey key, KeyDigest digest) {
    ApiKey record;
    try {
      record = store.findById(key.id()).orElse(null);
    } catch (RuntimeException e) {
      // once per outage; the get() only spares a clock read and a CAS that would fail anyway: either
      // half alone decides the same outside a race (both mutants survive as equivalent, listed)
      if (storeDownSince.get() == null && storeDownSince.compareAndSet(null, clock.instant())) {
        LOG.warn("key store unavailable (uncached keys get 503 until it is back): {}", e.toString());
      }
      return UNAVAILABLE;
    }
    // the get() spares a write on every lookup; either half alone decides the same outside a race
    // (both mutants survive as equivalent, listed)
    if (storeDownSince.get() != null && storeDownSince.getAndSet(null) != null) {
      LOG.info("key store reachable again");
    }
    if (record == null) {
      failed.put(digest, Boolean.TRUE);
      return INVALID;
    }
    Instant now = clock.instant();
    String matched = matchedHashes.getIfPresent(digest);
    boolean viaPrevious;
    if (matched != null && matches(matched, record, now)) {
      viaPrevious = !matched.equals(record.secretHash());
    } else {
      SecretCheck check = verifySecret(key, record, now);
      if (check instanceof Failed refused) {
        if (refused == INVALID) {
          failed.put(digest, Boolean.TRUE);
        }
        return refused;
      }
      Matched match = (Matched) check;
      matchedHashes.put(digest, match.hash());
      viaPrevious = match.previous();
    }
    return new Verified(record, principals.apply(record, viaPrevious), parseRanges(record), viaPrevious);
  }

  /** Whether a hash this key matched before is still one the record accepts now. */
  private static boolean matches(String hash, ApiKey record, Instant now) {
    return hash.equals(record.secretHash())
        || (record.previousSecretValidAt(now) && hash.equals(record.previousSecretHash()));
  }

  /** Runs the hasher on the presented secret, in a hashing slot. */
  private SecretCheck verifySecret(ParsedKey key, ApiKey record, Instant now) {
    String id = record.id();
    String owner = record.owner();
    byte[] secret = key.secretBytes();
    try {
      if (!slots.acquire(id, owner, hashingWaitNanos)) {
        return NO_HASHING_SLOT;
      }
      hashes.incrementAndGet();
      hashingPeak.accumulateAndGet(hashingNow.incrementAndGet(), Math::max);
      try {
        if (hasher.verify(record.secretHash(), secret)) {
          return new Matched(record.revokedAt() == null && hasher.needsRehash(record.secretHash())
              ? upgradeHash(record, secret) : record.secretHash(), false);
        }
        if (record.previousSecretValidAt(now) && hasher.verify(record.previousSecretHash(), secret)) {
          return new Matched(record.previousSecretHash(), true);
        }
        idFailures.tryAcquire(id); // charged once per hash run, never per waiting request
        idsFailedLately.put(id, Boolean.TRUE);
        if (owner != null) {
          ownerFailures.tryAcquire(owner);
          ownersFailedLately.put(owner, Boolean.TRUE);
        }
        return INVALID;
      } finally {
        hashingNow.decrementAndGet();
        slots.release(id);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNAVAILABLE;
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** Stores a hash at the current parameters; returns the hash the store holds afterwards. */
  private String upgradeHash(ApiKey record, byte[] secret) {
    try {
      String upgraded = hasher.hash(secret);
      if (store.update(record.toBuilder().secretHash(upgraded).build())) {
        LOG.info("upgraded the hash of key {} to the current parameters", record.id());
        return upgraded;
      }
    } catch (RuntimeException e) {
      LOG.warn("could not upgrade the hash of key {}: {}", record.id(), e.toString());
    }
    return record.secretHash();
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

  /**
   * Drops every cached verification of {@code keyId}, and every verification under way (it may have
   * read the record before this change): nobody joins it any more, and its result is not cached.
   */
  void invalidate(String keyId) {
    // equivalent mutant (instanceof always true): as in cached(), a finished future still mapped is Verified
    verified.asMap().values().removeIf(f -> !f.isDone() || f.join() instanceof Verified v && v.key().id().equals(keyId));
  }

  /** Drops one cached verification (a previous secret whose grace period ended). */
  void invalidate(KeyDigest digest) {
    verified.synchronous().invalidate(digest);
  }

  /** Entries in the verified-key cache (approximate). */
  long cachedKeys() {
    return verified.synchronous().estimatedSize();
  }

  /** Entries in the failed-key cache (approximate). */
  long failedKeys() {
    return failed.estimatedSize();
  }

  /** Uncached verifications run to the end, whatever they found. */
  long verifications() {
    return verifications.sum();
  }

  /** Their total time, in nanoseconds. */
  long verificationNanos() {
    return verificationNanos.sum();
  }

  /** Hasher runs. */
  long hashes() {
    return hashes.get();
  }

  int hashingSlots() {
    return maxConcurrentHashes;
  }

  int hashingNow() {
    return hashingNow.get();
  }

  int hashingPeak() {
    return hashingPeak.get();
  }

  int waitingForHashing() {
    return slots.waiting();
  }

  @Nullable Instant storeDownSince() {
    return storeDownSince.get();
  }

  /** The figures of the old {@code stats()} map ({@code verifications} there are hasher runs). */
  Map<String, Long> stats() {
    return Map.of("cachedKeys", cachedKeys(), "failedKeys", failedKeys(),
        "verifications", hashes(), "peakConcurrentHashes", (long) hashingPeak(),
        "waitingForHashing", (long) waitingForHashing());
  }
}
