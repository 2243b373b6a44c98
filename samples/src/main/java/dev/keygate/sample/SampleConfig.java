package dev.keygate.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The sample's settings, read from environment variables.
 *
 * @param port {@code PORT}, default 8080 (0 picks a free port)
 * @param dataDir {@code KEYGATE_DATA_DIR}, default {@code ./keygate-data}: where the H2 database lives
 * @param jdbcUrl {@code KEYGATE_JDBC_URL}: a PostgreSQL (or other JDBC) URL; H2 in {@code dataDir} when unset
 * @param jdbcUser {@code KEYGATE_JDBC_USER}
 * @param jdbcPassword {@code KEYGATE_JDBC_PASSWORD}
 * @param jwtSecret {@code KEYGATE_JWT_SECRET}: HS256 secret of at least 32 bytes; Bearer tokens are
 *     refused when unset
 * @param jwtClockSkew {@code KEYGATE_JWT_CLOCK_SKEW_SECONDS}, default 0, at most 60: how far past
 *     its {@code exp} (or before its {@code nbf}) a JWT is still accepted, for issuers whose clocks
 *     run a little apart from this server's
 * @param failuresPerMinute {@code KEYGATE_FAILURES_PER_MINUTE}, default 10: failed
 *     authentications allowed per client address per minute
 * @param trustedProxies {@code KEYGATE_TRUSTED_PROXIES}: comma-separated addresses or CIDR ranges
 *     of reverse proxies whose {@code X-Forwarded-For} is believed; default none
 * @param redisUrl {@code KEYGATE_REDIS_URL}: a Redis URI ({@code redis://host:6379}) for a fleet of
 *     sample nodes: rate limits (each key's, the failure throttles, signup's) shared in Redis, and key
 *     changes announced over Redis pub/sub when the database is not PostgreSQL (which pushes its
 *     own); each node limits alone when unset
 */
public record SampleConfig(
    int port,
    Path dataDir,
    @Nullable String jdbcUrl,
    @Nullable String jdbcUser,
    @Nullable String jdbcPassword,
    byte @Nullable [] jwtSecret,
    Duration jwtClockSkew,
    int failuresPerMinute,
    java.util.List<String> trustedProxies,
    @Nullable String redisUrl) {

  /** The largest JWT clock skew allowed: a minute, so that an expired token stays expired. */
  public static final int MAX_JWT_CLOCK_SKEW_SECONDS = 60;

  /**
   * Reads the settings from {@code env}.
   *
   * @throws IllegalArgumentException for a value out of range, with a message that names the
   *     variable (and never repeats a secret)
   */
  public static SampleConfig fromEnv(Map<String, String> env) {
    int port = integer(env, "PORT", 8080, 0, 65535);
    String dir = env.getOrDefault("KEYGATE_DATA_DIR", "keygate-data");
    if (dir.indexOf(';') >= 0) {
      // the path goes into H2's JDBC URL, where a ';' starts a setting
      throw new IllegalArgumentException("KEYGATE_DATA_DIR must not contain ';', got '" + dir + "'");
    }
    Path dataDir = Path.of(dir).toAbsolutePath();
    String secret = blankToNull(env.get("KEYGATE_JWT_SECRET"));
    byte[] jwt = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    if (jwt != null && jwt.length < 32) {
      throw new IllegalArgumentException("KEYGATE_JWT_SECRET must be at least 32 bytes for HS256 (it has "
          + jwt.length + ")");
    }
    String proxies = env.getOrDefault("KEYGATE_TRUSTED_PROXIES", "").strip();
    return new SampleConfig(port, dataDir, blankToNull(env.get("KEYGATE_JDBC_URL")),
        blankToNull(env.get("KEYGATE_JDBC_USER")), blankToNull(env.get("KEYGATE_JDBC_PASSWORD")), jwt,
        Duration.ofSeconds(integer(env, "KEYGATE_JWT_CLOCK_SKEW_SECONDS", 0, 0, MAX_JWT_CLOCK_SKEW_SECONDS)),
        integer(env, "KEYGATE_FAILURES_PER_MINUTE", 10, 1, 1_000_000),
        proxies.isEmpty() ? java.util.List.of() : java.util.List.of(proxies.split("\\s*,\\s*")),
        blankToNull(env.get("KEYGATE_REDIS_URL")));
  }

  private static int integer(Map<String, String> env, String name, int dflt, int min, int max) {
    String v = blankToNull(env.get(name));
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.strip());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
          + ", got '" + v + "'");
    }
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }

  @Override
  public String toString() {
    return "SampleConfig[port=" + port + ", dataDir=" + dataDir + ", jdbcUrl=" + (jdbcUrl == null ? "H2" : "set")
        + ", jwt=" + (jwtSecret != null) + ", jwtClockSkew=" + jwtClockSkew.toSeconds() + "s, failuresPerMinute="
        + failuresPerMinute + ", redis=" + (redisUrl == null ? "none" : "set") + "]";
  }
}
