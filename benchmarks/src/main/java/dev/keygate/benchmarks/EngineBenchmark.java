package dev.keygate.benchmarks;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.RateLimit;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's hot paths, one request at a time: a cached valid key, a key that fails its
 * checksum, a well-formed key whose id the in-memory store does not hold (first sight and
 * repeated), all from one client address with the failure throttle out of the way (a throttled
 * address would short-circuit to 429 and hide the path being measured).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EngineBenchmark {
  private static final int UNKNOWN_KEYS = 1 << 14;
  private static final RateLimit UNTHROTTLED = new RateLimit(1_000_000_000, Duration.ofMinutes(1));

  private Keygate keygate;
  private Keygate keygateWithoutNegativeCache;
  private AuthenticationEngine engine;
  private AuthenticationEngine noNegativeCache;
  private String validKey;
  private AuthenticationRequest valid;
  private AuthenticationRequest malformed;
  private AuthenticationRequest unknownRepeated;
  private AuthenticationRequest[] unknown;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    keygate = Fixture.keygate(store, Fixture.argon2id()).failuresPerAddress(UNTHROTTLED).build();
    IssuedKey issued = Fixture.issue(keygate.keys(), 1).get(0);
    engine = keygate.engine();
    // a one-entry negative cache: nearly every unknown key is seen for the first time
    keygateWithoutNegativeCache = Fixture.keygate(store, Fixture.argon2id()).failuresPerAddress(UNTHROTTLED)
        .failedKeyCacheSize(1).failedKeyCacheDuration(Duration.ofSeconds(30)).cacheExecutor(Runnable::run).build();
    noNegativeCache = keygateWithoutNegativeCache.engine();
    validKey = issued.plaintext();
    valid = Fixture.request(validKey);
    malformed = Fixture.request(Fixture.badChecksum(validKey));
    unknownRepeated = Fixture.request(Fixture.unknownKey());
    unknown = new AuthenticationRequest[UNKNOWN_KEYS];
    for (int i = 0; i < UNKNOWN_KEYS; i++) {
      unknown[i] = Fixture.request(Fixture.unknownKey());
    }
    if (!(engine.authenticate(valid) instanceof AuthenticationResult.Authenticated)) {
      throw new IllegalStateException("the valid key was refused");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    keygate.close();
    keygateWithoutNegativeCache.close();
  }

  /** A valid key already verified: parse, digest, cache hit, status and usage count. */
  @Benchmark
  public AuthenticationResult cachedVerification() {
    return engine.authenticate(valid);
  }

  /** The same, with the request read from headers the way both adapters do it. */
  @Benchmark
  public AuthenticationResult cachedVerificationFromHeaders() {
    return engine.authenticate(AuthenticationRequest.of(this::headers, engine.apiKeyHeaders(),
        "127.0.0.1", false));
  }

  private List<String> headers(String name) {
    return "X-API-Key".equalsIgnoreCase(name) ? List.of(validKey) : List.of();
  }

  /** A key with a bad checksum: refused without a cache or store lookup. */
  @Benchmark
  public AuthenticationResult malformedKey() {
    return engine.authenticate(malformed);
  }

  /** A well-formed key with an id the store lacks, seen for the first time: store lookup. */
  @Benchmark
  public AuthenticationResult unknownId() {
    AuthenticationRequest r = unknown[next++ & (UNKNOWN_KEYS - 1)];
    return noNegativeCache.authenticate(r);
  }

  /** The same unknown key again: answered from the negative cache. */
  @Benchmark
  public AuthenticationResult unknownIdRepeated() {
    return engine.authenticate(unknownRepeated);
  }
}
