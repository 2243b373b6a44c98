package dev.keygate.jdbc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes the collection columns ({@code scopes}, {@code allowed_ips}, {@code metadata}) as JSON
 * text: an array of strings or an object of string values. Any Java string survives the round
 * trip: quotes, backslashes, control characters (NUL included, which PostgreSQL text refuses),
 * U+2028/U+2029 and lone surrogates (which UTF-8 cannot carry) are written as escapes. The output
 * is plain JSON, so a DBA can read it or cast it ({@code scopes::jsonb}); the parser accepts any
 * whitespace a person or a JSON tool may add.
 *
 * <p>Hand-written rather than on Jackson: by default Jackson's writer does not escape lone
 * surrogates, U+2028/U+2029 or DEL as the rows already stored are escaped, and its parse errors
 * may show content, where these name only the fault and its offset (a column may hold whatever a
 * person pasted into metadata).
 */
final class TextCodec {
  private TextCodec() {}

  /** {@code ["a","b"]}, in iteration order. */
  static String encodeList(Collection<String> values) {
    StringBuilder sb = new StringBuilder(2 + values.size() * 16).append('[');
    boolean first = true;
    for (String v : values) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      appendString(sb, v);
    }
    return sb.append(']').toString();
  }

  /** {@code {"k":"v"}}, in iteration order. */
  static String encodeMap(Map<String, String> values) {
    StringBuilder sb = new StringBuilder(2 + values.size() * 32).append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      appendString(sb, e.getKey());
      sb.append(':');
      appendString(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  /**
   * Parses what {@link #encodeList} wrote.
   *
   * @throws IllegalArgumentException if the text is not a JSON array of strings
   */
  static List<String> decodeList(String text) {
    Parser p = new Parser(text);
    List<String> out = new ArrayList<>();
    p.expect('[');
    if (!p.tryConsume(']')) {
      do {
        out.add(p.string());
      } while (p.tryConsume(','));
      p.expect(']');
    }
    p.end();
    return out;
  }

  /**
   * Parses what {@link #encodeMap} wrote.
   *
   * @throws IllegalArgumentException if the text is not a JSON object of string values, or repeats
   *     a name
   */
  static Map<String, String> decodeMap(String text) {
    Parser p = new Parser(text);
    Map<String, String> out = new LinkedHashMap<>();
    p.expect('{');
    if (!p.tryConsume('}')) {
      do {
        String k = p.string();
        p.expect(':');
        if (out.put(k, p.string()) != null) {
          throw new IllegalArgumentException("repeated name at offset " + p.pos);
        }
      } while (p.tryConsume(','));
      p.expect('}');
    }
    p.end();
    return out;
  }

  /**
   * Appends {@code s} as a quoted JSON string: quotes, backslashes, control characters, DEL,
   * U+2028/U+2029 and lone surrogates escaped, so any Java string round-trips through UTF-8.
   */
  private static void appendString(StringBuilder sb, String s) {
    sb.append('"');
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(c).append(s.charAt(++i));
          } else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
            String hex = Integer.toHexString(c);
            sb.append("\\u").append("0000", hex.length(), 4).append(hex);
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  /** A strict reader of the two shapes above; positions in messages, never content. */
  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    void skipSpace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    void expect(char c) {
      if (!tryConsume(c)) {
        throw new IllegalArgumentException("expected '" + c + "' at offset " + pos);
      }
    }

    boolean tryConsume(char c) {
      skipSpace();
      if (pos < s.length() && s.charAt(pos) == c) {
        pos++;
        return true;
      }
      return false;
    }

    void end() {
      skipSpace();
      if (pos != s.length()) {
        throw new IllegalArgumentException("unexpected text at offset " + pos);
      }
    }

    String string() {
      expect('"');
      StringBuilder sb = new StringBuilder();
      while (true) {
        if (pos >= s.length()) {
          throw new IllegalArgumentException("unterminated string");
        }
        char c = s.charAt(pos++);
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (pos >= s.length()) {
          throw new IllegalArgumentException("unterminated escape");
        }
        char e = s.charAt(pos++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (pos + 4 > s.length()) {
              throw new IllegalArgumentException("short \\u escape at offset " + pos);
            }
            int v = 0;
            for (int k = 0; k < 4; k++) {
              int d = Character.digit(s.charAt(pos++), 16);
              if (d < 0) {
                throw new IllegalArgumentException("bad \\u escape at offset " + pos);
              }
              v = v * 16 + d;
            }
            sb.append((char) v);
          }
          default -> throw new IllegalArgumentException("bad escape at offset " + pos);
        }
      }
    }
  }
}
