package dev.keygate.benchmarks;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.hash.KeyHasher;
import dev.keygate.spi.InMemoryApiKeyStore;
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
 * A cold verification: a valid key whose cache entry was dropped, so the engine looks it up and
 * runs the hasher, at the default Argon2id parameters and with HMAC-SHA-256 for comparison.
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

  private AuthenticationEngine engine;
  private KeyHasher keyHasher;
  private IssuedKey issued;
  private AuthenticationRequest request;
  private String storedHash;
  private byte[] secret;

  @Setup(Level.Trial)
  public void setUp() {
    InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    keyHasher = Fixture.hasher(hasher);
    issued = Fixture.issue(Fixture.keys(store, keyHasher), 1).get(0);
    engine = AuthenticationEngine.builder().store(store).format(Fixture.FORMAT).hasher(keyHasher)
        .build();
    request = AuthenticationRequest.from("127.0.0.1").apiKey(issued.plaintext()).build();
    storedHash = issued.key().secretHash();
    secret = Fixture.FORMAT.parse(issued.plaintext()).secretBytes();
  }

  /** Drops the cached verification, so the next call is a cold one. */
  @Setup(Level.Invocation)
  public void forget() {
    engine.invalidate(issued.key().id());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    engine.close();
  }

  /** Parse, cache miss, store lookup, hasher under the concurrency limit, cache fill. */
  @Benchmark
  public AuthenticationResult coldVerification() {
    AuthenticationResult r = engine.authenticate(request);
    if (!(r instanceof AuthenticationResult.Authenticated)) {
      throw new IllegalStateException("cold verification refused: " + r);
    }
    return r;
  }

  /** The hasher alone, for reference. */
  @Benchmark
  public boolean hasherVerify() {
    return keyHasher.verify(storedHash, secret);
  }
}
