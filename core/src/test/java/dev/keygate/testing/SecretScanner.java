package dev.keygate.testing;

import dev.keygate.KeyFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises secrets in text: a whole API key of any prefix (with a valid checksum), or a stored
 * Argon2id or HMAC hash. {@link SecretScanningAppender} feeds it every log line of a test run and
 * {@link NoSecretsInLogsExtension} fails the test that produced one.
 */
public final class SecretScanner {
  private static final Pattern KEY = Pattern.compile("([a-z0-9]+(?:_[a-z0-9]+)*)_([0-9A-Za-z]{50})(?![0-9A-Za-z])");
  private static final Pattern HASH = Pattern.compile("\\$argon2id?\\$v=\\d+\\$m=\\d+,t=\\d+,p=\\d+\\$[A-Za-z0-9+/]{8,}"
      + "|\\$hmac-sha256\\$k=[^$\\s]+\\$[A-Za-z0-9+/=_-]{16,}");
  private static final List<String> FINDINGS = new ArrayList<>();

  private SecretScanner() {}

  /** What in {@code text} is a secret (masked in the returned descriptions); empty when none. */
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

  static synchronized void record(String where, String text) {
    for (String s : secretsIn(text)) {
      FINDINGS.add(s + " in " + where);
    }
  }

  /** Findings since the last call, cleared. */
  static synchronized List<String> drain() {
    List<String> out = List.copyOf(FINDINGS);
    FINDINGS.clear();
    return out;
  }
}
