package dev.keygate;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a request presents, read the way the engine's order of checks wants it: an API key wins
 * over a Bearer token, and a request with neither presents nothing. Header values lose their HTTP
 * optional whitespace and nothing else.
 */
final class Credentials {
  private static final String BEARER = "bearer ";

  private Credentials() {}

  /** A credential, or its absence. */
  sealed interface Presented permits Key, Token, Nothing {}

  /**
   * The value of the API-key header(s). Several different values present no key ({@code ""}, which
   * no format accepts) but still mean the client chose the API-key scheme.
   */
  record Key(String value) implements Presented {
    Key {
      Objects.requireNonNull(value, "value");
    }
  }

  /** The token of the first {@code Authorization: Bearer} value; may be empty. */
  record Token(String value) implements Presented {}

  /** Neither an API key nor a Bearer token. */
  enum Nothing implements Presented { NOTHING }

  /** The credential {@code request} presents, API key over Bearer. */
  static Presented of(AuthenticationRequest request) {
    if (!request.apiKeys().isEmpty()) {
      return new Key(singleValue(request.apiKeys()));
    }
    String token = bearerToken(request.authorizations());
    return token == null ? Nothing.NOTHING : new Token(token);
  }

  /** The one value of the API-key header(s): several equal values count as one; different ones as none. */
  private static String singleValue(List<String> values) {
    String first = trimOws(values.get(0));
    for (int i = 1; i < values.size(); i++) {
      if (!trimOws(values.get(i)).equals(first)) {
        return "";
      }
    }
    return first;
  }

  /** The token of the first {@code Authorization: Bearer} value, or null when there is none. */
  private static @Nullable String bearerToken(List<String> authorizations) {
    for (String value : authorizations) {
      // equivalent mutant (no length test): regionMatches is false for a shorter value anyway
      if (value.length() >= BEARER.length()
          && value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
        return trimOws(value.substring(BEARER.length()));
      }
    }
    return null;
  }

  /**
   * Trims HTTP optional whitespace (space and tab, RFC 9110) and nothing else: {@link
   * String#strip()} would also drop control characters U+001C to U+001F, letting a key or token
   * wrapped in them through (found by {@code EngineFuzzTest}).
   */
  static String trimOws(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
      start++;
    }
    while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
      end--;
    }
    // equivalent mutants (always substring): substring(0, length()) is the string itself
    return start == 0 && end == s.length() ? s : s.substring(start, end);
  }
}
