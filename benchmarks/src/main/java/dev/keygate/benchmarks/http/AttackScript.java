package dev.keygate.benchmarks.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The attacker's wrk script ({@code wrk/attack.lua}) with its settings filled in, written to a
 * temporary file the caller deletes.
 */
final class AttackScript {
  private AttackScript() {}

  /**
   * Writes a script.
   *
   * @param mode valid, revoked, badchecksum, unknown, wrongsecret or wrongsecretmany
   * @param key the fixed key (valid, revoked), else empty
   * @param keyIds the known id (wrongsecret) or the ids picked from at random (wrongsecretmany)
   * @param xff the {@code X-Forwarded-For} to send: empty, an address, or "random" (one per request)
   * @param delayMs pause per connection between requests; 0 sends as fast as answered
   * @throws IOException if the temporary file cannot be written
   */
  static Path write(String mode, String key, List<String> keyIds, String xff, int delayMs) throws IOException {
    String template;
    try (InputStream in = AttackScript.class.getResourceAsStream("/wrk/attack.lua")) {
      if (in == null) {
        throw new IllegalStateException("wrk/attack.lua is missing from the classpath");
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String lua = template.replace("@MODE@", mode).replace("@KEY@", key)
        .replace("@KEY_ID@", keyIds.isEmpty() ? "" : keyIds.get(0))
        .replace("@KEY_IDS@", String.join(",", keyIds))
        .replace("@XFF@", xff).replace("@DELAY_MS@", Integer.toString(delayMs));
    Path file = Files.createTempFile("keygate-attack", ".lua");
    Files.writeString(file, lua);
    return file;
  }

  /** The pause per connection that gives about {@code rate} requests a second; 0 for no pause. */
  static int delayMs(int connections, int rate) {
    return rate <= 0 ? 0 : Math.max(1, connections * 1000 / rate);
  }
}
