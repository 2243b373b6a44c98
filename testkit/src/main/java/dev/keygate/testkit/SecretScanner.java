package dev.keygate.testkit;

import dev.keygate.KeyFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises secrets in text: a whole API key of any prefix (with a valid checksum), or a stored
 * Argon2id or HMAC hash. {@link SecretScanningAppender} feeds it every log line of a test run
 * ({@link #record}) and {@link NoSecretsInLogsExtension} fails the test that produced one. A store
 * must never log a key or a hash, at any level: this is how a store's tests prove it. Thread-safe.
 */
public final class SecretScanner {
  private static final Pattern KEY = Pattern.compile("([a-z0-9]+(?:_[a-z0-9]+)*)_([0-9A-Za-z]{50})(?![0-9A-Za-z])");
  private static final Pattern HASH = Pattern.compile("\\$argon2id?\\$v=\\d+\\$m=\\d+,t=\\d+,p=\\d+\\$[A-Za-z0-9+/]{8,}"
      + "|\\$hmac-sha256\\$k=[^$\\s]+\\$[A-Za-z0-9+/=_-]{16,}");
  private static final List<String> FINDINGS = new ArrayList<>();

  private SecretScanner() {}

  /**
   * What in {@code text} is a secret.
   *
   * @param text any text, such as a log line or an exception message
   * @return one description per secret found, each masked (never the secret itself); empty when
   *     there is none
   */
  public static List<String> secretsIn(String text) {
    List<String> out = new ArrayList<>();
    Matcher k = KEY.matcher(text);
    while (k.find()) {
      String prefix = k.group(1);
      if (prefix.length() <= KeyFormat.MAX_PREFIX_LENGTH && isKey(prefix, k.group())) {
        out.add("an API key " + k.group().substring(0, prefix.length() + 13) + "…");
      }
    }
    Matcher h = HASH.matcher(text);
    while (h.find()) {
      out.add("a stored hash " + h.group().substring(0, Math.min(24, h.group().length())) + "…");
    }
    return out;
  }

  private static boolean isKey(String prefix, String candidate) {
    try {
      return KeyFormat.withPrefix(prefix).parse(candidate) != null;
    } catch (IllegalArgumentException notAPrefix) {
      return false;
    }
  }

  /**
   * Scans {@code text} and keeps what it finds until {@link #drain()}: for an appender of another
   * logging backend than logback, or any other channel a test wants checked.
   *
   * @param where where the text was seen, for the failure message (never secret itself)
   * @param text the text to scan
   */
  public static synchronized void record(String where, String text) {
    for (String s : secretsIn(text)) {
      FINDINGS.add(s + " in " + where);
    }
  }

  /**
   * Takes the findings recorded since the last call. A test that logs a secret on purpose (to show
   * the scanner sees it) drains them, so that {@link NoSecretsInLogsExtension} does not fail it.
   *
   * @return the findings, each saying what was found (masked) and where; empty when none
   */
  public static synchronized List<String> drain() {
    List<String> out = List.copyOf(FINDINGS);
    FINDINGS.clear();
    return out;
  }
}
