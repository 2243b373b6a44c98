package dev.keygate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
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
 * tries every start of the prefix the checksum could cover, shortest first. A real key followed by
 * more characters is still reported (its secret is in the text); a look-alike is reported only
 * when its body ends where a word ends (before anything but a letter, a digit or {@code _}, as the
 * published pattern's {@code \b}), so a longer token is not cut into one.
 *
 * <p>Clean text costs one pass over its characters and allocates nothing: only an {@code _}
 * followed by 50 base62 characters is looked at further, the checksum is checked on the characters
 * themselves, and a result list is made only when something is found. Hostile text (every {@code
 * _} such a candidate) costs a few table lookups per character more (see SECURITY.md, "Finding
 * leaked keys"). Instances are immutable and thread-safe.
 */
public final class KeyScanner {
  private static final int[] CRC_TABLE = crcTable();
  private static final int[] CRC_INDEX_BY_TOP_BYTE = indexByTopByte(CRC_TABLE);
  private static final int CRC_INITIAL = 0xFFFFFFFF;
  private static final int NO_PREFIX = -1;
  private static final int NO_CANDIDATE = -1;

  /** The prefixes, sorted, without duplicates; null for any prefix. */
  private final String @Nullable [] prefixes;

  private KeyScanner(String @Nullable [] prefixes) {
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
    return new KeyScanner(new TreeSet<>(prefixes).toArray(new String[0]));
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
    int at = 0;
    int underscore;
    while ((underscore = nextCandidate(text, at)) != NO_CANDIDATE) {
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
   * KeyFormat#BODY_LENGTH} base62 characters, or {@link #NO_CANDIDATE}. The one character test
   * per character of clean text: whatever else the scanner does happens only at such an {@code _}.
   */
  private static int nextCandidate(CharSequence text, int from) {
    int last = text.length() - KeyFormat.BODY_LENGTH - 1; // an underscore after this has no room for a body
    for (int i = from; i <= last; i++) {
      if (text.charAt(i) == '_' && isBody(text, i + 1)) {
        return i;
      }
    }
    return NO_CANDIDATE;
  }

  /** Whether the {@value KeyFormat#BODY_LENGTH} characters from {@code from} are all base62. */
  private static boolean isBody(CharSequence text, int from) {
    for (int i = from; i < from + KeyFormat.BODY_LENGTH; i++) {
      if (!Base62.isBase62(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The key whose body follows the underscore at {@code underscore}, its prefix starting at or
   * after {@code floor} (the end of what was found before), or null.
   *
   * <p>The checksum is not recomputed for every start of the prefix the scanner tries (up to 32,
   * each a CRC over up to 77 characters): the presented checksum is run backwards through the
   * body and then, one character at a time, through the prefix; a start is a real key's when the
   * register there is CRC32's initial value. That keeps hostile text (every {@code _} followed by
   * 50 base62 characters, after 32 prefix characters) to a few table lookups per character.
   */
  private @Nullable Match matchAt(CharSequence text, int underscore, int floor) {
    int bodyStart = underscore + 1;
    int checksumAt = bodyStart + KeyFormat.ID_LENGTH + KeyFormat.SECRET_LENGTH;
    int end = bodyStart + KeyFormat.BODY_LENGTH;
    long presented = decodeChecksum(text, checksumAt);
    // six base62 digits reach past 32 bits: such a checksum is no CRC32, whatever its low bits say
    boolean crc32 = (presented >>> 32) == 0;
    int register = unCrc(~(int) presented, text, underscore, checksumAt);
    int longest = NO_PREFIX;
    for (int start = underscore - 1; start >= Math.max(floor, underscore - KeyFormat.MAX_PREFIX_LENGTH); start--) {
      char c = text.charAt(start);
      if (!isPrefixChar(c)) {
        break;
      }
      if (c == '_' && text.charAt(start + 1) == '_') {
        break; // a prefix has no doubled underscore, nor a trailing one (the key's own follows it)
      }
      register = unCrcStep(register, c);
      if (c == '_' || !knownPrefix(text, start, underscore)) {
        continue; // a prefix starts with a letter or digit
      }
      if (crc32 && register == CRC_INITIAL) {
        return match(text, start, underscore, true);
      }
      longest = start;
    }
    // a look-alike ends where a word ends: '_' joins words, as in the published pattern's \b
    boolean wordEnds = end == text.length() || !isWordChar(text.charAt(end));
    if (longest == NO_PREFIX || !wordEnds) {
      return null;
    }
    return match(text, longest, underscore, false);
  }

  private static Match match(CharSequence text, int start, int underscore, boolean checksumValid) {
    int bodyStart = underscore + 1;
    return new Match(start, bodyStart + KeyFormat.BODY_LENGTH, text.subSequence(start, underscore).toString(),
        text.subSequence(bodyStart, bodyStart + KeyFormat.ID_LENGTH).toString(), checksumValid);
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

  private static boolean isPrefixChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }

  private static boolean isWordChar(char c) {
    return c == '_' || Base62.isBase62(c);
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

  /**
   * The CRC32 register before the characters {@code [from, to)} were added, given the register
   * after them: the CRC run backwards. With the final register {@code ~crc} and the whole input,
   * the answer is {@link #CRC_INITIAL} exactly when {@code crc} is the input's CRC32.
   */
  static int unCrc(int after, CharSequence text, int from, int to) {
    int register = after;
    for (int i = to - 1; i >= from; i--) {
      register = unCrcStep(register, text.charAt(i));
    }
    return register;
  }

  /**
   * Undoes one step {@code after = TABLE[(before ^ c) & 0xFF] ^ (before >>> 8)} for an ASCII
   * {@code c}: the top byte of {@code after} is the table entry's (the shift leaves it zero), and
   * the 256 entries' top bytes are all different, so it names the entry.
   */
  private static int unCrcStep(int after, char c) {
    int index = CRC_INDEX_BY_TOP_BYTE[after >>> 24];
    return ((after ^ CRC_TABLE[index]) << 8) | (index ^ c);
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

  private static int[] indexByTopByte(int[] table) {
    int[] index = new int[256];
    for (int n = 0; n < 256; n++) {
      index[table[n] >>> 24] = n;
    }
    return index;
  }

  @Override
  public String toString() {
    return "KeyScanner[" + (prefixes == null ? "any prefix" : String.join(", ", prefixes)) + "]";
  }
}
