package dev.keygate.benchmarks;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.util.List;
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
 * Cached verification with many keys in use at once (issue 17): 1 key, or 100,000 distinct keys
 * all cached and taken in a random order (a precomputed permutation, so choosing costs an array
 * read), each request a cache hit. HMAC-SHA-256 keys, so that issuing 100,000 takes seconds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class HotKeysBenchmark {
  @Param({"1", "100000"})
  public int keys;

  private Keygate keygate;
  private AuthenticationEngine engine;
  private AuthenticationRequest[] requests;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    keygate = Fixture.keygate(new InMemoryApiKeyStore(), Fixture.hmacSha256())
        .verifiedKeyCacheSize(Math.max(10_000, 2L * keys)).build();
    engine = keygate.engine();
    List<IssuedKey> issued = Fixture.issue(keygate.keys(), keys);
    int n = Math.max(keys, 1 << 17); // the same number of requests for every size: 131,072
    requests = new AuthenticationRequest[Integer.highestOneBit(n - 1) << 1];
    java.util.Random random = new java.util.Random(42);
    AuthenticationRequest[] byKey = issued.stream().map(k -> Fixture.request(k.plaintext()))
        .toArray(AuthenticationRequest[]::new);
    for (int i = 0; i < requests.length; i++) {
      requests[i] = byKey[random.nextInt(byKey.length)];
    }
    for (AuthenticationRequest r : byKey) {
      if (!(engine.authenticate(r) instanceof AuthenticationResult.Authenticated)) {
        throw new IllegalStateException("a key was refused");
      }
    }
    if (engine.statistics().cachedKeys() < keys) {
      throw new IllegalStateException("only " + engine.statistics().cachedKeys() + " of " + keys + " keys are cached");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    keygate.close();
  }

  /** A cached key, a different one each time when there are many. */
  @Benchmark
  public AuthenticationResult cachedVerification() {
    return engine.authenticate(requests[next++ & (requests.length - 1)]);
  }
}
