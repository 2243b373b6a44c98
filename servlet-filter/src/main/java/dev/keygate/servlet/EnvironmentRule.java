package dev.keygate.servlet;

import java.util.Objects;

/**
 * The one environment whose keys a request to some paths (and optionally some methods) must carry:
 * {@code POST /payouts/*=live}. Every rule that matches a request applies (unlike scope rules,
 * where the first match wins), so adding one can only narrow what passes. Its target is read like
 * a {@link ScopeRule}'s ({@code [METHODS] PATTERN}).
 */
final class EnvironmentRule {
  private final ScopeRule target;
  private final String environment;

  private EnvironmentRule(ScopeRule target, String environment) {
    this.target = target;
    this.environment = environment;
  }

  /**
   * The rule for every method on {@code pattern}.
   *
   * @throws IllegalArgumentException if the pattern or the environment is invalid
   */
  static EnvironmentRule of(String pattern, String environment) {
    return new EnvironmentRule(ScopeRule.path(pattern), checked(environment));
  }

  /**
   * Parses {@code [METHODS] PATTERN=ENVIRONMENT}, e.g. {@code POST,PUT /payouts/*=live}.
   *
   * @throws IllegalArgumentException if the text does not follow that form
   */
  static EnvironmentRule parse(String rule) {
    Objects.requireNonNull(rule, "rule");
    int eq = rule.lastIndexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("an environment rule is '[METHODS] PATTERN=ENVIRONMENT': '" + rule + "'");
    }
    return new EnvironmentRule(ScopeRule.parse(rule.substring(0, eq) + "="), checked(rule.substring(eq + 1).strip()));
  }

  private static String checked(String environment) {
    Objects.requireNonNull(environment, "environment");
    if (environment.isEmpty() || environment.length() > 64 || !environment.equals(environment.strip())) {
      throw new IllegalArgumentException("an environment is 1 to 64 characters without leading or trailing "
          + "white space, got '" + environment + "'");
    }
    return environment;
  }

  /** The environment whose keys the rule accepts. */
  String environment() {
    return environment;
  }

  /** Whether this rule covers a request with {@code method} to {@code path}. */
  boolean matches(String method, String path) {
    return target.matches(method, path);
  }

  /** The rule in the form {@link #parse} reads. */
  @Override
  public String toString() {
    String t = target.toString(); // ends with "=" (no scopes)
    return t + environment;
  }
}
