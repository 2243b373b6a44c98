package dev.keygate.benchmarks;

import dev.keygate.KeyFormat;
import dev.keygate.KeyScanner;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link KeyScanner} over 10 MB of text (issue 18): one operation scans all of it, so MB/s =
 * 10,000 / (ms per operation). {@code log} is a synthetic access and application log (request
 * lines, JSON, stack traces, JWTs, snake_case names, UUIDs) holding 12 real keys and 12 keys
 * with a typo (the JWTs' base64url adds look-alikes of its own); {@code hostile} is text built to make the scanner work: every 84 characters a
 * 40-character lowercase run, an {@code _} and 50 base62 characters whose checksum must be
 * checked against all 32 prefix starts. {@code regex} runs the published detection pattern
 * (SECURITY.md, "Finding leaked keys") with {@code java.util.regex} over the same text, for
 * comparison; it finds candidates only, without the checksum.
 *
 * <pre>
 * java -jar benchmarks/target/keygate-benchmarks.jar KeyScannerBenchmark -f 1 -wi 2 -i 3
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class KeyScannerBenchmark {
  /** The text's length in characters, all ASCII: 10 MB. */
  static final int SIZE = 10_000_000;
  /** The published pattern (SECURITY.md, secret-scanning/): group 1 is the key. */
  static final Pattern PUBLISHED = Pattern.compile("([a-z0-9][a-z0-9_]{0,31}_[0-9A-Za-z]{50})(?:[^0-9A-Za-z_]|$)");
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int KEYS = 12;

  @Param({"log", "hostile"})
  public String text;

  private String content;
  private final KeyScanner any = KeyScanner.anyPrefix();
  private final KeyScanner own = KeyScanner.forPrefixes(List.of("kg_live", "kg_test"));

  @Setup
  public void setUp() {
    content = text.equals("log") ? log(new Random(18)) : hostile();
    if (content.length() != SIZE) {
      throw new IllegalStateException("text of " + content.length() + " characters");
    }
    List<KeyScanner.Match> found = any.findAll(content);
    long real = found.stream().filter(KeyScanner.Match::checksumValid).count();
    int expectedReal = text.equals("log") ? KEYS : 0;
    if (real != expectedReal) {
      throw new IllegalStateException(text + ": " + real + " real keys found, " + expectedReal + " expected");
    }
    System.out.printf("%n%s: %,d characters, %d real keys, %d look-alikes (scanner), %d regex matches%n", text,
        content.length(), real, found.size() - real, regex());
  }

  @Benchmark
  public List<KeyScanner.Match> findAllAnyPrefix() {
    return any.findAll(content);
  }

  @Benchmark
  public List<KeyScanner.Match> findAllOwnPrefixes() {
    return own.findAll(content);
  }

  @Benchmark
  public String maskAnyPrefix() {
    return any.mask(content);
  }

  @Benchmark
  public int regex() {
    Matcher m = PUBLISHED.matcher(content);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  /** Log lines of several kinds, with keys and look-alikes among them, cut at {@link #SIZE}. */
  static String log(Random random) {
    StringBuilder out = new StringBuilder(SIZE + 1_000);
    int lines = 0;
    int keysLeft = KEYS;
    int lookAlikesLeft = KEYS;
    KeyFormat live = KeyFormat.withPrefix("kg_live");
    KeyFormat test = KeyFormat.withPrefix("kg_test");
    while (out.length() < SIZE - 2_000) {
      lines++;
      // a key every 3,000 lines and a look-alike between two keys, the last well before the cut
      if (lines % 3_000 == 0 && keysLeft > 0) {
        String key = (keysLeft % 2 == 0 ? live : test).generate().plaintext();
        switch (keysLeft-- % 3) {
          case 0 -> out.append("2026-12-03T07:10:00.123Z DEBUG [qtp-12] org.eclipse.jetty.http.HttpParser - parsedHeader X-API-Key: ")
              .append(key).append('\n');
          case 1 -> out.append("{\"level\":\"warn\",\"msg\":\"client retried\",\"url\":\"/api/v1/exports?api_key=").append(key)
              .append("&format=csv\"}\n");
          default -> out.append("KEYGATE_API_KEY=").append(key).append('\n');
        }
        continue;
      }
      if (lines % 3_000 == 1_500 && lookAlikesLeft > 0) {
        lookAlikesLeft--;
        String key = live.generate().plaintext();
        out.append("2026-12-03T07:10:00.456Z INFO  [worker-2] dev.keygate.AuditLog - refused key ")
            .append(key, 0, 30).append(key.charAt(30) == 'x' ? 'y' : 'x').append(key, 31, key.length())
            .append(" reason=invalid_checksum\n");
        continue;
      }
      switch (random.nextInt(6)) {
        case 0, 1 -> out.append("203.0.113.").append(random.nextInt(255)).append(" - - [03/Dec/2026:07:10:")
            .append(10 + random.nextInt(50)).append(" +0000] \"GET /api/v1/datasets?page=").append(random.nextInt(400))
            .append("&sort=created_at HTTP/1.1\" 200 ").append(random.nextInt(90_000))
            .append(" \"-\" \"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0\"\n");
        case 2 -> out.append("2026-12-03T07:10:00.").append(100 + random.nextInt(900))
            .append("Z INFO  [worker-").append(random.nextInt(8)).append("] dev.keygate.sample.DatasetsResource - listed ")
            .append(random.nextInt(50)).append(" datasets for org_").append(random.nextInt(9_999))
            .append(" in ").append(random.nextInt(40)).append(" ms request_id=").append(uuid(random)).append('\n');
        case 3 -> out.append("{\"ts\":\"2026-12-03T07:10:00Z\",\"level\":\"info\",\"logger\":\"access_log\",\"method\":\"POST\",")
            .append("\"path\":\"/api/v1/keys\",\"status\":201,\"duration_ms\":").append(random.nextInt(300))
            .append(",\"user_agent\":\"python-requests/2.32.3\",\"trace_id\":\"").append(uuid(random)).append("\"}\n");
        case 4 -> out.append("\tat org.eclipse.jetty.server.handler.ContextHandler.handle(ContextHandler.java:")
            .append(random.nextInt(1_500)).append(")\n\tat dev.keygate.servlet.KeygateFilter.doFilter(KeygateFilter.java:")
            .append(random.nextInt(300)).append(")\n");
        default -> out.append("2026-12-03T07:10:01.001Z DEBUG [worker-1] auth_bearer - Authorization: Bearer ")
            .append(base64Url(random, 36)).append('.').append(base64Url(random, 120)).append('.')
            .append(base64Url(random, 43)).append(" session_id=sess_").append(base62(random, 24)).append('\n');
      }
    }
    if (keysLeft > 0 || lookAlikesLeft > 0) {
      throw new IllegalStateException("the log ended before every key was placed");
    }
    while (out.length() < SIZE) {
      out.append("padding_line_without_keys ");
    }
    out.setLength(SIZE);
    return out.toString();
  }

  /** 40 lowercase letters, '_', 50 base62 characters with a checksum below 2^32, a space: 92 characters. */
  static String hostile() {
    String unit = "abcdefghij".repeat(4) + "_" + "Q".repeat(44) + "1ABCDE" + " ";
    return unit.repeat(SIZE / unit.length() + 1).substring(0, SIZE);
  }

  private static String uuid(Random random) {
    return new java.util.UUID(random.nextLong(), random.nextLong()).toString();
  }

  private static String base62(Random random, int n) {
    char[] out = new char[n];
    for (int i = 0; i < n; i++) {
      out[i] = ALPHABET.charAt(random.nextInt(62));
    }
    return new String(out);
  }

  private static String base64Url(Random random, int n) {
    String alphabet = ALPHABET + "-_";
    char[] out = new char[n];
    for (int i = 0; i < n; i++) {
      out[i] = alphabet.charAt(random.nextInt(64));
    }
    return new String(out);
  }
}
