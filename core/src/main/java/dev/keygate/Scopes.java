package dev.keygate;

import java.util.Collection;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Scope names and matching. A scope is dot-separated words ({@code datasets.read}); a granted
 * scope may be {@code *} (everything) or end in {@code .*} ({@code datasets.*} grants {@code
 * datasets.read} and {@code datasets.write.bulk}, not {@code datasets} itself).
 */
public final class Scopes {
  private static final Pattern SCOPE =
      Pattern.compile("\\*|[A-Za-z0-9_:-]{1,64}(\\.[A-Za-z0-9_:-]{1,64}){0,7}(\\.\\*)?");

  private Scopes() {}

  /**
   * Whether {@code scope} is a valid scope to grant.
   *
   * @param scope the text to check
   * @return whether it can be granted
   */
  public static boolean isValid(String scope) {
    return scope.length() <= 200 && SCOPE.matcher(scope).matches();
  }

  /**
   * Whether {@code granted} allows {@code required}. Empty {@code granted} is handled by the caller
   * (full access or none, per configuration); here it grants nothing.
   *
   * @param granted the scopes held
   * @param required the scope asked for
   * @return whether one held scope grants it
   */
  public static boolean grants(Collection<String> granted, String required) {
    for (String g : granted) {
      if (g.equals("*") || g.equals(required)) {
        return true;
      }
      if (g.endsWith(".*")) {
        int stem = g.length() - 1; // keep the dot: "datasets." must prefix "datasets.read"
        if (required.length() > stem && required.regionMatches(0, g, 0, stem)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether {@code granted} allows every one of {@code required}.
   *
   * @param granted the scopes held
   * @param required the scopes asked for
   * @return whether every one is granted (true for an empty set)
   */
  public static boolean grantsAll(Collection<String> granted, Set<String> required) {
    for (String r : required) {
      if (!grants(granted, r)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code granted} allows at least one of {@code required} (true if none required).
   *
   * @param granted the scopes held
   * @param required the scopes asked for
   * @return whether at least one is granted (false for an empty set)
   */
  public static boolean grantsAny(Collection<String> granted, Set<String> required) {
    if (required.isEmpty()) {
      return true;
    }
    for (String r : required) {
      if (grants(granted, r)) {
        return true;
      }
    }
    return false;
  }
}
