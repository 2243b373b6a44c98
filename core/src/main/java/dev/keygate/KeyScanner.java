package dev.keygate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Finds Keygate keys in any text (a log, a commit, a paste) without a store: every {@code
 * <prefix>_} followed by 50 base62 characters, told apart by its checksum into a real key (the
 * CRC32 of everything before the checksum matches, so it was generated as a key; about one chance
 * in four billion for text that merely looks like one) and a look-alike (the shape without the
 * checksum: a key with a typo, a truncated copy, or an unrelated token).
 *
 * <p>The prefix is found, not assumed: {@link #anyPrefix()} finds keys of every prefix Keygate
 * accepts (what a log masker wants), {@link #forPrefixes} only those of an application's own. A key
 * may be glued to the text before it ({@code token=kg_live_…}, {@code xkg_live_…}): the scanner
 * tries every start of the prefix the checksum could cover. A real key followed by more base62
 * characters is still reported (its secret is in the text); a look-alike is reported only when
 * its body ends where a word ends.
 *
 * <p>Clean text costs one pass over its characters and allocates nothing: the checksum is computed
 * on the characters themselves, and a result list is made only when something is found. Instances
 * are immutable and thread-safe.
 */
public final class KeyScanner {
  private static final int[] CRC_TABLE = crcTable();
  private static final int NO_PREFIX = -1;

  private final @Nullable Set<String> prefixes;

  private KeyScanner(@Nullable Set<String> prefixes) {
    this.prefixes = prefixes;
  }

  /**
   * A scanner for keys of any prefix {@link KeyFormat} accepts.
   *
   * @return the scanner
   */
  public static KeyScanner anyPrefix() {
    return new KeyScanner(null);
  }

  /**
   * A scanner for keys of these prefixes only (without the trailing {@code _}).
   *
   * @param prefixes the prefixes, each valid as for {@link KeyFormat#withPrefix(String)}
   * @return the scanner
   * @throws IllegalArgumentException if there is none, or one is not a valid prefix
   */
  public static KeyScanner forPrefixes(Collection<String> prefixes) {
    Objects.requireNonNull(prefixes, "prefixes");
    if (prefixes.isEmpty()) {
      throw new IllegalArgumentException("at least one prefix is needed");
    }
    for (String prefix : prefixes) {
      KeyFormat.checkPrefix(prefix);
    }
    return new KeyScanner(Set.copyOf(prefixes));
  }

  /** A found key or look-alike: where it is, its prefix and id; never its secret. */
  public static final class Match {
    private final int start;
    private final int end;
    private final String prefix;
    private final String keyId;
    private final boolean checksumValid;

    Match(int start, int end, String prefix, String keyId, boolean checksumValid) {
      this.start = start;
      this.end = end;
      this.prefix = prefix;
      this.keyId = keyId;
      this.checksumValid = checksumValid;
    }

    /**
     * Where the key starts in the text (its prefix's first character).
     *
     * @return the index of the first character
     */
    public int start() {
      return start;
    }

    /**
     * Where the key ends in the text: the index after its last checksum character.
     *
     * @return the index after the last character
     */
    public int end() {
      return end;
    }

    /**
     * The key's prefix, without the trailing {@code _}.
     *
     * @return the prefix
     */
    public String prefix() {
      return prefix;
    }

    /**
     * The public key id (12 base62 characters): what a store finds the key by.
     *
     * @return the key id
     */
    public String keyId() {
      return keyId;
    }

    /**
     * Whether the checksum matches: true for a key Keygate generated, false for a look-alike.
     *
     * @return whether the checksum is valid
     */
    public boolean checksumValid() {
      return checksumValid;
    }

    /**
     * What may be shown instead of the key: its prefix and the first characters of its id, as
     * {@link KeyFormat#hint} shows it.
     *
     * @return the hint
     */
    public String hint() {
      return KeyFormat.hint(prefix, keyId);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Match m && m.start == start && m.end == end && m.prefix.equals(prefix)
          && m.keyId.equals(keyId) && m.checksumValid == checksumValid;
    }

    @Override
    public int hashCode() {
      return Objects.hash(start, end, prefix, keyId, checksumValid);
    }

    @Override
    public String toString() {
      return "KeyScanner.Match[" + start + ".." + end + ", " + hint() + (checksumValid ? ", key" : ", look-alike") + "]";
    }
  }

  /**
   * Every key and look-alike in {@code text}, in order, none overlapping.
   *
   * @param text the text to scan
   * @return what was found; an empty, shared list when nothing was
   */
  public List<Match> findAll(CharSequence text) {
    List<Match> found = List.of();
    int n = text.length();
    int at = 0;
    while (at < n) {
      int underscore = nextCandidate(text, at);
      if (underscore < 0) {
        break;
      }
      Match m = matchAt(text, underscore, at);
      if (m == null) {
        at = underscore + 1;
        continue;
      }
      if (found.isEmpty()) {
        found = new ArrayList<>(2);
      }
      found.add(m);
      at = m.end();
    }
    return found;
  }

  /**
   * Whether {@code text} holds a real key (checksum valid) of this scanner's prefixes.
   *
   * @param text the text to scan
   * @return whether a key was found
   */
  public boolean containsKey(CharSequence text) {
    for (Match m : findAll(text)) {
      if (m.checksumValid()) {
        return true;
      }
    }
    return false;
  }

  /**
   * The text with every key and look-alike replaced by its {@linkplain Match#hint() hint}; the
   * text itself (as a string) when there is none. Look-alikes are masked too: a key with one
   * character changed still gives its secret away.
   *
   * @param text the text
   * @return the masked text
   */
  public String mask(CharSequence text) {
    List<Match> found = findAll(text);
    if (found.isEmpty()) {
      return text.toString();
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (Match m : found) {
      out.append(text, from, m.start()).append(m.hint());
      from = m.end();
    }
    return out.append(text, from, text.length()).toString();
  }

  /**
   * The next {@code _} at or after {@code from} that is followed by at least {@value
   * KeyFormat#BODY_LENGTH} base62 characters and preceded by a prefix character, or -1.
   */
  private static int nextCandidate(CharSequence text, int from) {
    int n = text.length();
    int last = n - KeyFormat.BODY_LENGTH - 1; // an underscore after this has no room for a body
    for (int i = Math.max(from, 1); i <= last; i++) {
      if (text.charAt(i) != '_' || !isPrefixChar(text.charAt(i - 1))) {
        continue;
      }
      int run = base62Run(text, i + 1, KeyFormat.BODY_LENGTH);
      if (run == KeyFormat.BODY_LENGTH) {
        return i;
      }
      i += run; // no underscore in a base62 run: the next candidate is after it
    }
    return -1;
  }

  /**
   * The key whose body follows the underscore at {@code underscore}, its prefix starting at or
   * after {@code floor} (the end of what was found before), or null.
   */
  private @Nullable Match matchAt(CharSequence text, int underscore, int floor) {
    int bodyStart = underscore + 1;
    int checksumAt = bodyStart + KeyFormat.ID_LENGTH + KeyFormat.SECRET_LENGTH;
    int end = bodyStart + KeyFormat.BODY_LENGTH;
    long presented = decodeChecksum(text, checksumAt);
    int longest = NO_PREFIX;
    for (int start = underscore - 1; start >= Math.max(floor, underscore - KeyFormat.MAX_PREFIX_LENGTH); start--) {
      char c = text.charAt(start);
      if (!isPrefixChar(c)) {
        break;
      }
      if (c == '_' && (start == underscore - 1 || text.charAt(start + 1) == '_')) {
        break; // a prefix has no doubled or trailing underscore
      }
      if (c == '_' || !knownPrefix(text, start, underscore)) {
        continue; // a prefix starts with a letter or digit
      }
      if (crc(text, start, checksumAt) == presented) {
        return new Match(start, end, text.subSequence(start, underscore).toString(),
            text.subSequence(bodyStart, bodyStart + KeyFormat.ID_LENGTH).toString(), true);
      }
      longest = start;
    }
    boolean wordEnds = end == text.length() || !Base62.isBase62(text.charAt(end));
    if (longest == NO_PREFIX || !wordEnds) {
      return null;
    }
    return new Match(longest, end, text.subSequence(longest, underscore).toString(),
        text.subSequence(bodyStart, bodyStart + KeyFormat.ID_LENGTH).toString(), false);
  }

  private boolean knownPrefix(CharSequence text, int start, int underscore) {
    if (prefixes == null) {
      return true;
    }
    for (String p : prefixes) {
      if (p.length() == underscore - start && regionMatches(text, start, p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean regionMatches(CharSequence text, int start, String p) {
    for (int i = 0; i < p.length(); i++) {
      if (text.charAt(start + i) != p.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /** How many of the {@code max} characters from {@code from} are base62 before the first that is not. */
  private static int base62Run(CharSequence text, int from, int max) {
    int run = 0;
    while (run < max && Base62.isBase62(text.charAt(from + run))) {
      run++;
    }
    return run;
  }

  private static boolean isPrefixChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }

  /** The six base62 checksum characters at {@code at} as the number they encode. */
  private static long decodeChecksum(CharSequence text, int at) {
    long v = 0;
    for (int i = at; i < at + KeyFormat.CHECKSUM_LENGTH; i++) {
      v = v * 62 + digit(text.charAt(i));
    }
    return v;
  }

  private static int digit(char c) {
    if (c <= '9') {
      return c - '0';
    }
    return c <= 'Z' ? c - 'A' + 10 : c - 'a' + 36;
  }

  /** CRC32 (the polynomial of {@link java.util.zip.CRC32}) of the characters, all ASCII, in {@code [from, to)}. */
  static long crc(CharSequence text, int from, int to) {
    int c = 0xFFFFFFFF;
    for (int i = from; i < to; i++) {
      c = CRC_TABLE[(c ^ text.charAt(i)) & 0xFF] ^ (c >>> 8);
    }
    return ~c & 0xFFFFFFFFL;
  }

  private static int[] crcTable() {
    int[] table = new int[256];
    for (int n = 0; n < 256; n++) {
      int c = n;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      }
      table[n] = c;
    }
    return table;
  }

  @Override
  public String toString() {
    return "KeyScanner[" + (prefixes == null ? "any prefix" : String.join(", ", new java.util.TreeSet<>(prefixes))) + "]";
  }
}
