package dev.keygate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One token a secret scanner found in public, as its report names it. {@link #toString()} never
 * shows the token.
 *
 * @param token the text found, which may or may not be one of this service's keys
 * @param url where it was found (may be empty)
 * @param source what kind of place it was found in ({@code content}, {@code commit}, ...; may be empty)
 */
public record ReportedLeak(String token, String url, String source) {
  /**
   * Checks the parts are present.
   *
   * @param token the text found
   * @param url where it was found (may be empty)
   * @param source what kind of place it was found in (may be empty)
   * @throws NullPointerException if a part is null
   */
  public ReportedLeak {
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(source, "source");
  }

  /**
   * The hex SHA-256 of the token's UTF-8 bytes: what a leak record keeps to know a repeated report,
   * and what an answer to the scanner names the token by (never the token itself).
   *
   * @return 64 lowercase hex digits
   */
  public String tokenSha256() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "ReportedLeak[" + token.length() + " characters, url=" + url + ", source=" + source + "]";
  }
}
