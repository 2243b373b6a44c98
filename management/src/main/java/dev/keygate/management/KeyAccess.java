package dev.keygate.management;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.KeygatePrincipal;
import dev.keygate.Scopes;
import java.util.Optional;
import java.util.Set;

/** {@link ManagementAccess#apiKeys}: a key or token of an organization holding the admin scope. */
final class KeyAccess implements ManagementAccess {
  static final String NO_ORGANIZATION = "This credential belongs to no organization.";
  static final String PREVIOUS_SECRET = "This is the previous secret of a regenerated key, accepted only during its "
      + "grace period; it cannot manage keys. Use the key's new secret.";

  private final AuthenticationEngine engine;
  private final Set<String> required;

  KeyAccess(AuthenticationEngine engine, String adminScope) {
    if (!Scopes.isValid(adminScope) || adminScope.contains("*")) {
      throw new IllegalArgumentException("adminScope must be a plain scope, not " + adminScope);
    }
    this.engine = engine;
    this.required = Set.of(adminScope);
  }

  @Override
  public Decision decide(ManagementRequest request) {
    KeygatePrincipal caller;
    if (request.principal() instanceof KeygatePrincipal p) {
      caller = p; // a Keygate filter in front authenticated it: verifying again would count its use twice
    } else {
      AuthenticationRequest seen = AuthenticationRequest.of(request::headers, engine.apiKeyHeaders(),
          request::peerAddress, request.secure());
      AuthenticationResult result = engine.authenticate(seen);
      if (result instanceof AuthenticationResult.Refused refused) {
        return Denied.of(refused);
      }
      if (!(result instanceof AuthenticationResult.Authenticated authenticated)) {
        return Denied.of(engine.invalidBearerToken()); // a Bearer token nobody here can check
      }
      caller = authenticated.principal();
    }
    Optional<AuthenticationResult.Refused> refused = engine.authorize(caller, required, Set.of());
    if (refused.isPresent()) {
      return Denied.of(refused.get());
    }
    if (caller.previousSecret()) {
      // a secret rotated away (perhaps because it leaked) must not mint or rotate keys during its grace
      return new Denied(403, Replies.detail(PREVIOUS_SECRET), java.util.Map.of());
    }
    if (caller.owner() == null) {
      return new Denied(403, Replies.detail(NO_ORGANIZATION), java.util.Map.of());
    }
    return new Granted(new Manager(caller.owner(), caller.subject(), caller.scopes(), caller.fullAccess()));
  }

  @Override
  public String toString() {
    return "ManagementAccess.apiKeys" + required;
  }
}
