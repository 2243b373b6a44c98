package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.testkit.CountingHasher;
import dev.keygate.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signup limit (5 a minute) per client, where an IPv6 client is its /64. The test runs behind
 * a trusted proxy (the loopback address) so that it can speak for many client addresses.
 */
class SignupLimitTest {
  private static final AtomicInteger ORGS = new AtomicInteger();
  @TempDir static Path dataDir;
  static final MutableClock clock = MutableClock.atEpochOfTests();
  static SampleApp app;

  @BeforeAll
  static void start() throws Exception {
    app = SampleApp.start(SampleConfig.fromEnv(Map.of("PORT", "0", "KEYGATE_DATA_DIR", dataDir.toString(),
        "KEYGATE_TRUSTED_PROXIES", "127.0.0.1")), clock, CountingHasher.cheapArgon2id(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @BeforeEach
  void freshMinute() {
    clock.advance(Duration.ofMinutes(5)); // every bucket full again
  }

  static int signupFrom(String client) throws Exception {
    String body = "{\"organization\":\"org-" + ORGS.incrementAndGet() + "\"}";
    return RawHttp.send(app.port(), RawHttp.request("POST /api/v1/signup HTTP/1.1", body,
        "Content-Type: application/json", "X-Forwarded-For: " + client)).status();
  }

  @Test
  void ipv6ClientsInOneSlash64ShareOneLimit() throws Exception {
    for (int i = 1; i <= 5; i++) {
      assertThat(signupFrom("2001:db8:1:2::" + Integer.toHexString(i))).isEqualTo(201);
    }
    // a new address in the same /64 is the same subscriber: refused
    assertThat(signupFrom("2001:db8:1:2:ffff:ffff:ffff:ffff")).isEqualTo(429);
    assertThat(signupFrom("2001:0db8:0001:0002:0000:0000:0000:0abc")).isEqualTo(429);
    // the next /64 is somebody else
    assertThat(signupFrom("2001:db8:1:3::1")).isEqualTo(201);
  }

  @Test
  void ipv4ClientsAreCountedPerAddress() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(signupFrom("198.51.100.7")).isEqualTo(201);
    }
    assertThat(signupFrom("198.51.100.7")).isEqualTo(429);
    assertThat(signupFrom("198.51.100.8")).isEqualTo(201);
    assertThat(signupFrom("::ffff:198.51.100.7")).as("the IPv4-mapped form is the same client").isEqualTo(429);
  }
}
