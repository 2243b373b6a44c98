package dev.keygate;

/** What a key with no scopes may do. */
public enum EmptyScopePolicy {
  /** Everything (the default, as the reference products do). */
  FULL_ACCESS,
  /** Nothing that requires a scope. */
  DENY
}
