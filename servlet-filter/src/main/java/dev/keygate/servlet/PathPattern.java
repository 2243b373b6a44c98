package dev.keygate.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;

/**
 * A path pattern in the servlet {@code url-pattern} style, matched against the path within the
 * application (servlet path plus path info, already decoded and normalised by the container):
 *
 * <ul>
 *   <li>{@code /*} matches every path;
 *   <li>{@code /orders/*} matches {@code /orders} and everything below it;
 *   <li>{@code *.css} matches every path whose last segment ends in {@code .css};
 *   <li>anything else starting with {@code /} matches that exact path.
 * </ul>
 */
public final class PathPattern {
  private enum Kind { ALL, PREFIX, EXTENSION, EXACT }

  private final String text;
  private final Kind kind;
  private final String stem;

  private PathPattern(String text, Kind kind, String stem) {
    this.text = text;
    this.kind = kind;
    this.stem = stem;
  }

  /**
   * Parses a pattern.
   *
   * @param pattern the pattern, in one of the four forms
   * @return the pattern
   * @throws IllegalArgumentException if it is not one of the four forms
   */
  public static PathPattern parse(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    String p = pattern.strip();
    // without this case "/*" would be a prefix with an empty stem, which matches the same paths (all
    // start with '/'): mutation testing keeps that survivor, listed in accepted-survivors.txt
    if (p.equals("/*")) {
      return new PathPattern(p, Kind.ALL, "");
    }
    // "< 0" or "<= 0" below is the same test: neither index can be 0 after "*." or "/" (mutation
    // testing keeps those boundary survivors, listed in accepted-survivors.txt)
    if (p.startsWith("*.") && p.length() > 2 && p.indexOf('/') < 0 && p.indexOf('*', 1) < 0) {
      return new PathPattern(p, Kind.EXTENSION, p.substring(1));
    }
    if (p.startsWith("/") && p.endsWith("/*") && p.indexOf('*') == p.length() - 1) {
      return new PathPattern(p, Kind.PREFIX, p.substring(0, p.length() - 2));
    }
    // "< 0" or "<= 0": the same test, '*' cannot be at index 0 of a path starting with '/'
    if (p.startsWith("/") && p.indexOf('*') < 0) {
      return new PathPattern(p, Kind.EXACT, p);
    }
    throw new IllegalArgumentException("not a path pattern (use /exact, /prefix/*, *.ext or /*): '"
        + pattern + "'");
  }

  /**
   * Whether {@code path} matches.
   *
   * @param path the path within the application, starting with {@code /}
   * @return whether it matches
   */
  public boolean matches(String path) {
    switch (kind) {
      case ALL:
        return true;
      case PREFIX:
        // the length check only guards charAt: an equal length that passes startsWith is the equal
        // path, already matched (its boundary and removal survive mutation, listed as equivalent)
        return path.equals(stem)
            || (path.length() > stem.length() && path.startsWith(stem) && path.charAt(stem.length()) == '/');
      case EXTENSION:
        int slash = path.lastIndexOf('/');
        return path.endsWith(stem) && path.length() - stem.length() > slash + 1;
      default:
        return path.equals(stem);
    }
  }

  /**
   * Whether the path of {@code request} within the application (servlet path plus path info, as
   * servlet mappings and security constraints see it) matches.
   *
   * @param request the request
   * @return whether it matches
   */
  public boolean matches(HttpServletRequest request) {
    return matches(KeygateFilter.pathInContext(request));
  }

  @Override
  public boolean equals(Object o) {
    // only ScopeRule.equals calls this, always with a PathPattern: the type test keeps the Object
    // contract, and the mutant removing it survives (listed in accepted-survivors.txt)
    return o instanceof PathPattern other && other.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
