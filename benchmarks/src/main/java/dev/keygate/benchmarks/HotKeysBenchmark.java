package dev.keygate.benchmarks;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.memory.InMemoryApiKeyStore;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keygate.KeyFormat;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.zip.CRC32;
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
 * {@link #floor} does what any design must (CRC32 of the key, SHA-256 of it, a Caffeine hit) over
 * the same keys in the same order, so the cost of random access over a working set larger than the
 * CPU's caches can be told from Keygate's own.
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
  private String[] plaintexts;
  private Cache<FloorBenchmark.Digest, Object> floorCache;
  private MessageDigest sha256;

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
    plaintexts = new String[requests.length];
    for (int i = 0; i < requests.length; i++) {
      plaintexts[i] = requests[i].apiKeys().get(0);
    }
    sha256 = sha256();
    floorCache = Caffeine.newBuilder().maximumSize(Math.max(10_000, 2L * keys)).expireAfterWrite(Duration.ofMinutes(5)).build();
    for (IssuedKey k : issued) {
      floorCache.put(FloorBenchmark.Digest.of(sha256, k.plaintext().getBytes(StandardCharsets.US_ASCII)), new Object());
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

  /** The floor over the same keys in the same order: CRC32 and SHA-256 of the key, a Caffeine hit. */
  @Benchmark
  public Object floor() {
    byte[] key = plaintexts[next++ & (plaintexts.length - 1)].getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(key, 0, key.length - KeyFormat.CHECKSUM_LENGTH);
    Object hit = floorCache.getIfPresent(FloorBenchmark.Digest.of(sha256, key));
    return crc.getValue() == 0 ? null : hit;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
