package dev.keygate.servlet;

import dev.keygate.Scopes;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The scopes a request to some paths, and optionally some methods, must carry. A rule names a path
 * pattern (servlet {@code url-pattern} style: {@code /exact}, {@code /prefix/*}, {@code *.ext},
 * {@code /*}), the methods it covers (none: every method; {@code GET} also covers {@code HEAD}),
 * scopes the caller must all hold, and scopes of which it must hold at least one. A rule with no
 * scopes only requires a valid credential.
 *
 * <p>{@link KeygateFilter} tries its rules in the order given and applies the first whose method
 * and pattern match (put specific rules before general ones); a request that matches no rule
 * needs only a valid credential. A caller without the scopes gets 403 with {@code
 * required_scopes}.
 *
 * <pre>{@code
 * ScopeRule.path("/orders/*").onMethods("POST", "PUT").requireAll("orders.write")
 * ScopeRule.parse("GET /reports/*=reports.read|admin")
 * }</pre>
 *
 * <p>Immutable; each {@code on}/{@code require} method returns a new rule.
 */
public final class ScopeRule {
  private static final Pattern METHOD = Pattern.compile("[A-Z][A-Z0-9_-]{0,31}");
  private static final Pattern LIST_SEPARATOR = Pattern.compile("[\\s,]+");

  private final Set<String> methods;
  private final PathPattern pattern;
  private final Set<String> allOf;
  private final Set<String> anyOf;

  private ScopeRule(Set<String> methods, PathPattern pattern, Set<String> allOf, Set<String> anyOf) {
    this.methods = methods;
    this.pattern = pattern;
    this.allOf = allOf;
    this.anyOf = anyOf;
  }

  /**
   * A rule for every method on {@code pattern}, requiring no scope yet.
   *
   * @param pattern {@code /exact}, {@code /prefix/*}, {@code *.ext} or {@code /*}
   * @return the rule
   * @throws IllegalArgumentException if the pattern has another form
   */
  public static ScopeRule path(String pattern) {
    return new ScopeRule(Set.of(), PathPattern.parse(pattern), Set.of(), Set.of());
  }

  /**
   * Parses the text form used by the {@code scopes} init-parameter: {@code [METHODS] PATTERN =
   * [SCOPES]}. {@code METHODS} is a comma-separated list ({@code GET,POST}; absent or {@code *}:
   * every method). {@code SCOPES} are separated by commas or spaces and all required; one entry
   * may be an any-of group joined with {@code |}. Examples: {@code GET /orders/*=orders.read},
   * {@code POST,PUT /orders/*=orders.write audit.write}, {@code /reports/*=reports.read|admin},
   * {@code /me=}.
   *
   * @param rule the text form
   * @return the rule
   * @throws IllegalArgumentException if the text does not follow that form, or a method, the
   *     pattern or a scope is invalid
   */
  public static ScopeRule parse(String rule) {
    Objects.requireNonNull(rule, "rule");
    int eq = rule.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("a scope rule needs '=' between path and scopes: '" + rule + "'");
    }
    String[] target = rule.substring(0, eq).strip().split("\\s+");
    ScopeRule parsed;
    if (target.length == 1 && !target[0].isEmpty()) {
      parsed = path(target[0]);
    } else if (target.length == 2) {
      parsed = path(target[1]);
      if (!target[0].equals("*")) {
        parsed = parsed.onMethods(target[0].split(",", -1));
      }
    } else {
      throw new IllegalArgumentException("a scope rule is '[METHODS] PATTERN=SCOPES': '" + rule + "'");
    }
    String scopes = rule.substring(eq + 1).strip();
    if (scopes.isEmpty()) {
      return parsed;
    }
    Set<String> all = new LinkedHashSet<>();
    String[] any = null;
    for (String token : LIST_SEPARATOR.split(scopes)) {
      // a token starting with '|' is refused either way, as an invalid scope ("|a" or ""): the
      // boundary mutant "<= 0" survives, listed as equivalent
      if (token.indexOf('|') < 0) {
        all.add(token);
      } else if (any == null) {
        any = token.split("\\|", -1);
      } else {
        throw new IllegalArgumentException("a scope rule may have one any-of group (a|b): '" + rule + "'");
      }
    }
    parsed = parsed.requireAll(all.toArray(String[]::new));
    return any == null ? parsed : parsed.requireAny(any);
  }

  /**
   * This rule, limited to the given methods ({@code GET} also covers {@code HEAD}).
   *
   * @param methods HTTP method names, in any case
   * @return a new rule; this one is unchanged
   * @throws IllegalArgumentException if a method is not an HTTP method name
   */
  public ScopeRule onMethods(String... methods) {
    Set<String> out = new TreeSet<>();
    for (String m : methods) {
      String upper = Objects.requireNonNull(m, "method").strip().toUpperCase(Locale.ROOT);
      if (!METHOD.matcher(upper).matches()) {
        throw new IllegalArgumentException("not an HTTP method: '" + m + "'");
      }
      out.add(upper);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("onMethods needs at least one method");
    }
    return new ScopeRule(Collections.unmodifiableSet(out), pattern, allOf, anyOf);
  }

  /**
   * This rule, also requiring every one of {@code scopes}.
   *
   * @param scopes the scopes to add
   * @return a new rule; this one is unchanged
   * @throws IllegalArgumentException if a scope is not a valid scope name
   */
  public ScopeRule requireAll(String... scopes) {
    return new ScopeRule(methods, pattern, union(allOf, scopes), anyOf);
  }

  /**
   * This rule, also requiring at least one of {@code scopes} (added to any earlier any-of scopes).
   *
   * @param scopes the scopes to add
   * @return a new rule; this one is unchanged
   * @throws IllegalArgumentException if a scope is not a valid scope name
   */
  public ScopeRule requireAny(String... scopes) {
    return new ScopeRule(methods, pattern, allOf, union(anyOf, scopes));
  }

  /**
   * The methods covered, upper case; empty means every method.
   *
   * @return the methods covered, upper case
   */
  public Set<String> methods() {
    return methods;
  }

  /**
   * The path pattern.
   *
   * @return the path pattern
   */
  public String pattern() {
    return pattern.toString();
  }

  /**
   * Scopes the caller must all hold.
   *
   * @return the scopes, all required
   */
  public Set<String> allOf() {
    return allOf;
  }

  /**
   * Scopes of which the caller must hold one; empty means no such requirement.
   *
   * @return the scopes, one of which is required
   */
  public Set<String> anyOf() {
    return anyOf;
  }

  /** Whether this rule covers a request with {@code method} to {@code path} (within the app). */
  boolean matches(String method, String path) {
    boolean methodMatches = methods.isEmpty() || methods.contains(method)
        || (method.equals("HEAD") && methods.contains("GET"));
    return methodMatches && pattern.matches(path);
  }

  private static Set<String> union(Set<String> current, String[] more) {
    Set<String> out = new TreeSet<>(current);
    for (String s : more) {
      String scope = Objects.requireNonNull(s, "scope").strip();
      if (!Scopes.isValid(scope)) {
        throw new IllegalArgumentException("not a valid scope: '" + s + "'");
      }
      out.add(scope);
    }
    return Collections.unmodifiableSet(out);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScopeRule r && r.methods.equals(methods) && r.pattern.equals(pattern)
        && r.allOf.equals(allOf) && r.anyOf.equals(anyOf);
  }

  @Override
  public int hashCode() {
    return Objects.hash(methods, pattern, allOf, anyOf);
  }

  /** The rule in the form {@link #parse} reads. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    if (!methods.isEmpty()) {
      sb.append(String.join(",", methods)).append(' ');
    }
    sb.append(pattern).append('=').append(String.join(",", allOf));
    if (!anyOf.isEmpty()) {
      sb.append(allOf.isEmpty() ? "" : ",").append(String.join("|", anyOf));
    }
    return sb.toString();
  }
}
