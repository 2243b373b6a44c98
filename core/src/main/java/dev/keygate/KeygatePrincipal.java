package dev.keygate;

import java.security.Principal;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who made an authenticated request. {@link #getName()} is the key id for API keys and the
 * subject for Bearer tokens. Holds no secret.
 *
 * @param method how the request authenticated
 * @param subject the key id (API keys) or the token subject (Bearer)
 * @param keyId the key id, or null for Bearer tokens
 * @param keyName the key's name, or null for Bearer tokens
 * @param owner the organization or tenant, or null for a global key
 * @param scopes the granted scopes
 * @param fullAccess whether every scope is granted (a key with no scopes, unless configured
 *     otherwise)
 * @param environment the key's environment, or null
 * @param metadata the key's metadata (empty for Bearer tokens unless the authenticator sets some)
 * @param previousSecret whether the request presented the key's previous secret, accepted only
 *     during the grace period of a rotation: enough to call the API, not to manage keys (a leaked
 *     secret that was rotated away must not mint or rotate keys)
 */
public record KeygatePrincipal(
    AuthMethod method,
    String subject,
    @Nullable String keyId,
    @Nullable String keyName,
    @Nullable String owner,
    Set<String> scopes,
    boolean fullAccess,
    @Nullable String environment,
    Map<String, String> metadata,
    boolean previousSecret)
    implements Principal {

  /**
   * Copies the collections.
   *
   * @param method how the request authenticated
   * @param subject the key id (API keys) or the token subject (Bearer)
   * @param keyId the key id, or null for Bearer tokens
   * @param keyName the key's name, or null for Bearer tokens
   * @param owner the organization or tenant, or null for a global key
   * @param scopes the granted scopes
   * @param fullAccess whether every scope is granted (a key with no scopes, unless configured
   *     otherwise)
   * @param environment the key's environment, or null
   * @param metadata the key's metadata (empty for Bearer tokens unless the authenticator sets some)
   * @param previousSecret whether the key's previous secret, in its grace period, was presented
   */
  public KeygatePrincipal {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(subject, "subject");
    scopes = SortedStrings.copyOf(scopes); // a key's own scopes are shared, not copied
    metadata = SortedStrings.sortedMap(metadata);
  }

  /**
   * A principal that did not present a previous secret (Bearer tokens, and keys by their current
   * secret).
   *
   * @param method how the request authenticated
   * @param subject the key id (API keys) or the token subject (Bearer)
   * @param keyId the key id, or null for Bearer tokens
   * @param keyName the key's name, or null for Bearer tokens
   * @param owner the organization or tenant, or null for a global key
   * @param scopes the granted scopes
   * @param fullAccess whether every scope is granted
   * @param environment the key's environment, or null
   * @param metadata the key's metadata
   */
  public KeygatePrincipal(AuthMethod method, String subject, @Nullable String keyId, @Nullable String keyName,
      @Nullable String owner, Set<String> scopes, boolean fullAccess, @Nullable String environment,
      Map<String, String> metadata) {
    this(method, subject, keyId, keyName, owner, scopes, fullAccess, environment, metadata, false);
  }

  /**
   * A principal for a Bearer token, for {@link BearerTokenAuthenticator} implementations.
   *
   * @param subject the token's subject
   * @param owner the organization claim, or null
   * @param scopes the granted scopes (a token with none has none)
   * @return the principal, with method {@code BEARER} and no key id
   */
  public static KeygatePrincipal bearer(String subject, @Nullable String owner, Set<String> scopes) {
    return new KeygatePrincipal(AuthMethod.BEARER, subject, null, null, owner, scopes, false, null, Map.of());
  }

  @Override
  public String getName() {
    return subject;
  }

  /**
   * Whether this principal may use {@code scope} (see {@link Scopes#grants}).
   *
   * @param scope the scope asked for
   * @return whether it is granted (directly, by a wildcard, or by full access)
   */
  public boolean hasScope(String scope) {
    return fullAccess || Scopes.grants(scopes, scope);
  }

  /**
   * Whether this principal holds every scope in {@code required}.
   *
   * @param required the scopes asked for
   * @return whether every one is granted (true for an empty set)
   */
  public boolean hasAllScopes(Set<String> required) {
    return fullAccess || Scopes.grantsAll(scopes, required);
  }

  /**
   * Whether this principal holds at least one scope of {@code required} (true if none).
   *
   * @param required the scopes asked for
   * @return whether at least one is granted (false for an empty set)
   */
  public boolean hasAnyScope(Set<String> required) {
    return fullAccess || Scopes.grantsAny(scopes, required);
  }
}
