package dev.keygate.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keygate.ParsedKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under a cached verification: what any design must pay (CRC32 of the key, SHA-256 of
 * the key, a Caffeine hit), the engine's own versions of the first steps (parse with checksum,
 * the digest used as cache key) and a yardstick for parsing, so {@link
 * EngineBenchmark#cachedVerification} can be read against them. The engine's cache key is
 * package-private; {@link Digest} does the same work (SHA-256 folded into four longs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FloorBenchmark {
  private static final int PREFIX_LENGTH = Fixture.PREFIX.length() + 1;
  private static final byte[] BASE62 = new byte[128];

  static {
    java.util.Arrays.fill(BASE62, (byte) -1);
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    for (int i = 0; i < alphabet.length(); i++) {
      BASE62[alphabet.charAt(i)] = (byte) i;
    }
  }

  private final byte[] scratch = new byte[128];
  private String key;
  private byte[] keyBytes;
  private MessageDigest sha256;
  private Cache<Digest, Object> cache;
  private Digest digest;

  @Setup
  public void setUp() throws NoSuchAlgorithmException {
    key = Fixture.FORMAT.generate().plaintext();
    if (!parseViaBytes()) {
      throw new IllegalStateException("parseViaBytes disagrees with KeyFormat");
    }
    keyBytes = key.getBytes(StandardCharsets.US_ASCII);
    sha256 = MessageDigest.getInstance("SHA-256");
    cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(5)).build();
    digest = Digest.of(sha256, key.getBytes(StandardCharsets.US_ASCII));
    cache.put(digest, new Object());
    for (int i = 0; i < 1000; i++) {
      cache.put(Digest.of(sha256, Fixture.unknownKey().getBytes(StandardCharsets.US_ASCII)), new Object());
    }
  }

  /** CRC32 of the key's bytes before the checksum. */
  @Benchmark
  public long crc32() {
    CRC32 crc = new CRC32();
    crc.update(keyBytes, 0, keyBytes.length - 6);
    return crc.getValue();
  }

  /**
   * What parsing could cost: the alphabet check while copying the key into a byte array, one
   * bulk CRC32, and the checksum compared as a number instead of re-encoded. Not Keygate's code:
   * a yardstick for {@link #parse}.
   */
  @Benchmark
  public boolean parseViaBytes() {
    String k = key;
    int n = k.length();
    byte[] bytes = scratch;
    for (int i = 0; i < n; i++) {
      char c = k.charAt(i);
      if (c > 127) {
        return false;
      }
      bytes[i] = (byte) c;
    }
    int body = PREFIX_LENGTH;
    for (int i = body; i < n; i++) {
      if (BASE62[bytes[i]] < 0) {
        return false;
      }
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, n - 6);
    long presented = 0;
    for (int i = n - 6; i < n; i++) {
      presented = presented * 62 + BASE62[bytes[i]];
    }
    return presented == crc.getValue();
  }

  /** SHA-256 of the whole key. */
  @Benchmark
  public byte[] sha256() {
    return sha256.digest(keyBytes);
  }

  /** A Caffeine hit on a 256-bit digest key. */
  @Benchmark
  public Object caffeineHit() {
    return cache.getIfPresent(digest);
  }

  /** {@code KeyFormat.parse}: length, prefix, alphabet and checksum. */
  @Benchmark
  public ParsedKey parse() {
    return Fixture.FORMAT.parse(key);
  }

  /** What the engine's cache key costs: SHA-256 of the bytes parsing produced, folded into four longs. */
  @Benchmark
  public Digest keyDigest() {
    return Digest.of(sha256, keyBytes);
  }

  /** The engine's cache key, rebuilt with JDK code: 256 bits as four longs, equal by value. */
  public record Digest(long a, long b, long c, long d) {
    static Digest of(MessageDigest sha256, byte[] ascii) {
      ByteBuffer buf = ByteBuffer.wrap(sha256.digest(ascii));
      return new Digest(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
    }

    @Override
    public int hashCode() {
      return (int) a; // already uniformly distributed, as the engine's
    }
  }
}
