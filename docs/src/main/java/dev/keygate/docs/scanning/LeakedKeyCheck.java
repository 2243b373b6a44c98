package dev.keygate.docs.scanning;

import dev.keygate.KeyScanner;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The checksum rule of SECURITY.md ("Finding leaked keys") as a reader would write it with the JDK
 * alone, and the same question asked of {@link KeyScanner}; {@code SecretScanningRulesTest} runs
 * both over generated keys and look-alikes.
 */
public final class LeakedKeyCheck {
  private LeakedKeyCheck() {}

  // tag::key-checksum[]
  /** Whether {@code key}, {@code <prefix>_} and 50 base62 characters, ends in its own checksum. */
  static boolean checksumValid(String key) {
    String base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    int checksumAt = key.length() - 6;
    CRC32 crc = new CRC32();
    crc.update(key.substring(0, checksumAt).getBytes(StandardCharsets.US_ASCII));
    long presented = 0;
    for (char c : key.substring(checksumAt).toCharArray()) {
      presented = presented * 62 + base62.indexOf(c);
    }
    return presented == crc.getValue();
  }
  // end::key-checksum[]

  /**
   * Whether a match of the generic pattern (group 1) holds a real key: the pattern may have taken
   * text glued before the key into the prefix, so every start is tried, as the scanner does.
   *
   * @param match the pattern's group 1
   * @return whether some tail of it, starting with a letter or digit, has a valid checksum
   */
  public static boolean holdsKey(String match) {
    int underscore = match.length() - 51;
    for (int start = underscore - 1; start >= 0; start--) {
      if (match.charAt(start) != '_' && checksumValid(match.substring(start))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The same question asked of the scanner.
   *
   * @param text any text
   * @return whether it holds a real key of any prefix
   */
  public static boolean scannerFindsKey(String text) {
    // tag::key-scanner[]
    KeyScanner scanner = KeyScanner.anyPrefix(); // or KeyScanner.forPrefixes(List.of("kg_live", "kg_test"))
    List<KeyScanner.Match> found = scanner.findAll(text); // in order; each with start(), end(), prefix(), keyId()
    boolean leaked = found.stream().anyMatch(KeyScanner.Match::checksumValid); // real keys, not look-alikes
    String safe = scanner.mask(text); // every key and look-alike replaced by its hint, kg_live_AbCdEf…
    // end::key-scanner[]
    return leaked && scanner.containsKey(text) && !scanner.containsKey(safe);
  }
}
