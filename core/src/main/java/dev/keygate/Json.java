package dev.keygate;

/**
 * JSON string escaping, for the few places Keygate writes JSON without a JSON library (refusal
 * bodies; the JDBC store's collection columns). Escapes quotes, backslashes, control characters,
 * DEL, U+2028/U+2029 and lone surrogates, so any Java string round-trips through a strict reader.
 */
final class Json {
  private Json() {}

  /** Appends {@code s} to {@code sb} as a quoted JSON string. */
  static void appendString(StringBuilder sb, String s) {
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
}
