package dev.keygate;

import dev.keygate.benchmarks.Fixture;
import dev.keygate.memory.InMemoryApiKeyStore;
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
 * What counting outcomes costs the cached hot path (issue 15, step 8b): the same cached valid key
 * through two engines on one store, one counting (as every engine does) and one built with the
 * package-private {@code countOutcomes(false)}, which no application can reach. In package {@code
 * dev.keygate} for that reason only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CountingBenchmark {
  private Keygate keygate;
  private AuthenticationEngine counting;
  private AuthenticationEngine notCounting;
  private AuthenticationRequest valid;

  @Setup(Level.Trial)
  public void setUp() {
    InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    keygate = Fixture.keygate(store, Fixture.argon2id()).build();
    IssuedKey issued = Fixture.issue(keygate.keys(), 1).get(0);
    counting = AuthenticationEngine.builder().store(store).format(Fixture.FORMAT).hasher(Fixture.argon2id())
        .build();
    notCounting = AuthenticationEngine.builder().store(store).format(Fixture.FORMAT).hasher(Fixture.argon2id())
        .countOutcomes(false).build();
    valid = AuthenticationRequest.from("127.0.0.1").apiKey(issued.plaintext()).build();
    for (AuthenticationEngine e : new AuthenticationEngine[] {counting, notCounting}) {
      for (int i = 0; i < 2; i++) { // verified, then from the cache
        if (!(e.authenticate(valid) instanceof AuthenticationResult.Authenticated)) {
          throw new IllegalStateException("the valid key was refused");
        }
      }
    }
    if (counting.statistics().cacheHits() != 1 || notCounting.statistics().cacheHits() != 0) {
      throw new IllegalStateException("counting is not as labelled: " + counting.statistics());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    counting.close();
    notCounting.close();
    keygate.close();
  }

  /** A cached valid key, counted: a cache-hit and an outcome increment. */
  @Benchmark
  public AuthenticationResult cachedCounting() {
    return counting.authenticate(valid);
  }

  /** The same without counting. */
  @Benchmark
  public AuthenticationResult cachedNotCounting() {
    return notCounting.authenticate(valid);
  }
}
