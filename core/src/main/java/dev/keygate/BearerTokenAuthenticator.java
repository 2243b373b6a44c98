package dev.keygate;

import java.util.Optional;

/**
 * Checks an {@code Authorization: Bearer} token (a JWT, say) when no API key header is present.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface BearerTokenAuthenticator {
  /**
   * Authenticates a token.
   *
   * @param token the token after {@code Bearer }, never blank
   * @return the principal, or empty when the token is not acceptable (bad signature, expired,
   *     malformed): the request gets 401
   * @throws RuntimeException only when the token cannot be checked at all (a key server down);
   *     the engine answers 503
   */
  Optional<KeygatePrincipal> authenticate(String token);
}
