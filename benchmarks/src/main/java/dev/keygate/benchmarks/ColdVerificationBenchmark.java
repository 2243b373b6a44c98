package dev.keygate.benchmarks;

import dev.keygate.ApiKeyService;
import dev.keygate.ApiKeyStore;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.RateLimit;
import dev.keygate.hash.KeyHasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Verifications that miss the cache, at the default Argon2id parameters and with HMAC-SHA-256 for
 * comparison: a key the engine has never verified (store lookup and hasher), a key whose cache
 * entry expired (store lookup; since {@code 5d9a6c6} no hasher while the stored hash is the one it
 * matched), and the hasher alone. Each engine benchmark counts what its calls did and prints it
 * at the end of the trial: {@link #coldVerification} fails if a call skipped the hasher, {@link
 * #expiredEntry} if a call did not read the store.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ColdVerificationBenchmark {
  @Param({"argon2id", "hmac"})
  public String hasher;

  private KeyHasher keyHasher;
  private String storedHash;
  private byte[] secret;

  @Setup(Level.Trial)
  public void setUp() {
    keyHasher = Fixture.hasher(hasher);
    IssuedKey issued;
    try (Keygate issuer = Fixture.keygate(new InMemoryApiKeyStore(), keyHasher).build()) {
      issued = Fixture.issue(issuer.keys(), 1).get(0);
    }
    storedHash = issued.key().secretHash();
    secret = Fixture.FORMAT.parse(issued.plaintext()).secretBytes();
  }

  /**
   * A key the engine has not seen: before every call the key is rotated (untimed), so neither the
   * cache nor the engine's memory of matched keys knows the secret presented.
   */
  @State(Scope.Benchmark)
  public static class NewSecret {
    Keygate keygate;
    ApiKeyService keys;
    AuthenticationEngine engine;
    String keyId;
    AuthenticationRequest request;
    long calls;
    long hashesAtStart;

    @Setup(Level.Trial)
    public void setUp(ColdVerificationBenchmark b) {
      InMemoryApiKeyStore store = new InMemoryApiKeyStore();
      keygate = keygate(store, b.keyHasher, Duration.ofMinutes(5), Clock.systemUTC());
      keys = keygate.keys();
      keyId = Fixture.issue(keys, 1).get(0).key().id();
      engine = keygate.engine();
      hashesAtStart = engine.statistics().hashes();
    }

    /** Gives the key a secret nobody presented yet (the store tells the engine, which drops it). */
    @Setup(Level.Invocation)
    public void rotate() {
      request = AuthenticationRequest.from("127.0.0.1").apiKey(keys.rotate(keyId).plaintext()).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      long hashes = engine.statistics().hashes() - hashesAtStart;
      keygate.close();
      System.out.printf("%n# coldVerification: %d calls, %d hasher runs%n", calls, hashes);
      if (hashes != calls) {
        throw new IllegalStateException("coldVerification ran the hasher " + hashes + " times in " + calls
            + " calls: it did not measure a cold verification");
      }
    }
  }

  /**
   * A key verified before whose cache entry has expired: the engine's clock is moved past the
   * cache period (1 s here) before every call (untimed), so every call misses the cache and
   * reads the record again. (The engine's caches tick in milliseconds: a shorter period without
   * moving the clock would let calls within one millisecond hit the cache.)
   */
  @State(Scope.Benchmark)
  public static class ExpiredEntry {
    static final Duration CACHE_PERIOD = Duration.ofSeconds(1);
    final SteppingClock clock = new SteppingClock(Instant.now());
    CountingStore store;
    Keygate keygate;
    AuthenticationEngine engine;
    AuthenticationRequest request;
    long calls;
    long hashesAtStart;

    @Setup(Level.Trial)
    public void setUp(ColdVerificationBenchmark b) {
      store = new CountingStore(new InMemoryApiKeyStore());
      keygate = keygate(store, b.keyHasher, CACHE_PERIOD, clock);
      IssuedKey issued = Fixture.issue(keygate.keys(), 1).get(0);
      engine = keygate.engine();
      request = AuthenticationRequest.from("127.0.0.1").apiKey(issued.plaintext()).build();
      if (!(engine.authenticate(request) instanceof AuthenticationResult.Authenticated)) {
        throw new IllegalStateException("the key was refused");
      }
      hashesAtStart = engine.statistics().hashes();
      store.reset();
    }

    /** Lets the cache period pass. */
    @Setup(Level.Invocation)
    public void expire() {
      clock.advance(CACHE_PERIOD.plusMillis(1));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      long hashes = engine.statistics().hashes() - hashesAtStart;
      keygate.close();
      System.out.printf("%n# expiredEntry: %d calls, %d store lookups, %d hasher runs%n", calls, store.lookups(),
          hashes);
      if (store.lookups() != calls) {
        throw new IllegalStateException("expiredEntry read the store " + store.lookups() + " times in " + calls
            + " calls: some calls hit the cache");
      }
    }
  }

  /**
   * An engine at its defaults but for the cache period and the per-key-id budget: before {@code
   * 5d9a6c6} every uncached verification spent from that budget (20 a minute), valid or not, so
   * repeated cold verifications of one id were answered 429; since, it counts failures only.
   */
  static Keygate keygate(ApiKeyStore store, KeyHasher hasher, Duration cacheTtl, Clock clock) {
    return Fixture.keygate(store, hasher).clock(clock)
        .wrongSecretsPerKeyId(new RateLimit(1_000_000_000, Duration.ofMinutes(1))).verifiedKeyCacheDuration(cacheTtl)
        .build();
  }

  /** Parse, cache miss, store lookup, hasher in a hashing slot, cache fill. */
  @Benchmark
  public AuthenticationResult coldVerification(NewSecret s) {
    s.calls++;
    return admitted(s.engine.authenticate(s.request));
  }

  /**
   * Parse, cache miss (expired), store lookup, cache fill; the hasher only if the engine does not
   * remember that this key matched the stored hash (it did not before {@code 5d9a6c6}). Fails if a
   * call did not read the store.
   */
  @Benchmark
  public AuthenticationResult expiredEntry(ExpiredEntry s) {
    s.calls++;
    return admitted(s.engine.authenticate(s.request));
  }

  /** The hasher alone, for reference. */
  @Benchmark
  public boolean hasherVerify() {
    return keyHasher.verify(storedHash, secret);
  }

  private static AuthenticationResult admitted(AuthenticationResult r) {
    if (!(r instanceof AuthenticationResult.Authenticated)) {
      throw new IllegalStateException("a valid key was refused: " + r);
    }
    return r;
  }
}
