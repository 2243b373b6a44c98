package dev.keygate.benchmarks;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.redis.KeygateRedis;
import dev.keygate.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
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
 * What shared limits cost a request: a cached key with a rate limit (never reached) and one
 * without, with the buckets in this node's memory and in a real redis-server on this machine
 * (started by the benchmark on a free port, as the tests do). A key without a rate limit never
 * asks Redis; a rate-limited one pays one round trip (an EVALSHA) per request. {@code redis-down}
 * is the same after the redis-server was stopped: what a request costs while its node limits alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SharedLimitsBenchmark {
  private static final RateLimit NEVER_REACHED = new RateLimit(Integer.MAX_VALUE, Duration.ofSeconds(1));

  @Param({"memory", "redis", "redis-down"})
  public String limits;

  private RedisServer redis;
  private KeygateRedis shared;
  private Keygate keygate;
  private AuthenticationEngine engine;
  private AuthenticationRequest limited;
  private AuthenticationRequest unlimited;

  @Setup(Level.Trial)
  public void setUp() {
    Keygate.Builder b = Fixture.keygate(new InMemoryApiKeyStore(), Fixture.argon2id())
        .failuresPerAddress(NEVER_REACHED);
    if (limits.startsWith("redis")) {
      redis = RedisServer.start(Path.of("target", "redis-benchmark"));
      shared = KeygateRedis.builder().uri(redis.uri()).build();
      b.rateLimiters(shared.rateLimiters());
    }
    keygate = b.build();
    engine = keygate.engine();
    limited = Fixture.request(keygate.keys().create(NewKey.named("limited").withRateLimit(NEVER_REACHED)).plaintext());
    unlimited = Fixture.request(keygate.keys().create(NewKey.named("unlimited")).plaintext());
    for (AuthenticationRequest r : new AuthenticationRequest[] {limited, unlimited}) {
      if (!(engine.authenticate(r) instanceof AuthenticationResult.Authenticated)) {
        throw new IllegalStateException("a key was refused");
      }
    }
    if (limits.equals("redis-down")) {
      redis.stop();
      engine.authenticate(limited);
      if (engine.statistics().sharedLimitsUnavailableSince().isEmpty()) {
        throw new IllegalStateException("the node has not noticed that Redis stopped");
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    long local = keygate.engine().statistics().rateLimitLocalDecisions();
    keygate.close();
    if (shared != null) {
      shared.close();
      redis.close();
    }
    if (limits.equals("redis") && local > 0) {
      throw new IllegalStateException(local + " decisions were made without Redis: the figures are not Redis's");
    }
  }

  /** A cached key with a rate limit: one token taken per request. */
  @Benchmark
  public AuthenticationResult rateLimitedKey() {
    return engine.authenticate(limited);
  }

  /** A cached key without a rate limit: no limiter at all. */
  @Benchmark
  public AuthenticationResult unlimitedKey() {
    return engine.authenticate(unlimited);
  }
}
