package dev.keygate;

/**
 * Receives every outcome the engine decides: each answer of {@link
 * AuthenticationEngine#authenticate} (authenticated, refused or deferred) and each refusal of
 * {@link AuthenticationEngine#authorize}. Called synchronously on the request's thread, with the
 * result the caller gets (nothing is allocated for it), so it must be quick and must not throw: an
 * exception is caught and logged, and never changes the answer. Given to {@link
 * Keygate.Builder#authenticationListeners}.
 */
@FunctionalInterface
public interface AuthenticationListener {
  /**
   * Handles one outcome.
   *
   * @param result what the engine decided; the same object the caller gets
   */
  void onAuthentication(AuthenticationResult result);
}
