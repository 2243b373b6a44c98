package dev.keygate.sample.spring;

import dev.keygate.AuthMethod;
import dev.keygate.KeygatePrincipal;
import dev.keygate.spring.security.KeygateAuthenticationToken;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling, whichever way they authenticated: an API key (Keygate's token: its owner is the
 * organization) or a Bearer JWT (Spring's resource server: the {@code org} claim).
 */
final class Caller {
  static final String NO_ORGANIZATION = "This credential belongs to no organization.";

  private Caller() {}

  /** The caller's organization, or null for a JWT without {@code org}. */
  static @Nullable String organization(Authentication who) {
    if (who instanceof KeygateAuthenticationToken key) {
      return key.getPrincipal().owner();
    }
    if (who instanceof JwtAuthenticationToken jwt) {
      return jwt.getToken().getClaimAsString("org");
    }
    return null;
  }

  /**
   * The organization a route acts within.
   *
   * @throws ErrorReplies.Refusal 403 when the credential belongs to no organization
   */
  static String requireOrganization(Authentication who) {
    String org = organization(who);
    if (org == null) {
      throw new ErrorReplies.Refusal(403, NO_ORGANIZATION);
    }
    return org;
  }

  /** {@code GET /api/v1/me}: auth_method, subject, organization, scopes, and key_id for a key. */
  static Map<String, Object> describe(Authentication who) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (who instanceof KeygateAuthenticationToken key) {
      KeygatePrincipal p = key.getPrincipal();
      out.put("auth_method", p.method() == AuthMethod.API_KEY ? "api_key" : "bearer");
      out.put("subject", p.subject());
      out.put("organization", p.owner());
      out.put("scopes", p.scopes());
      if (p.keyId() != null) {
        out.put("key_id", p.keyId());
        out.put("key_name", p.keyName());
      }
    } else if (who instanceof JwtAuthenticationToken token) {
      Jwt jwt = token.getToken();
      out.put("auth_method", "bearer");
      out.put("subject", jwt.getSubject());
      out.put("organization", jwt.getClaimAsString("org"));
      String scope = jwt.getClaimAsString("scope");
      List<String> scopes = new ArrayList<>();
      if (scope != null && !scope.isBlank()) {
        scopes.addAll(Arrays.asList(scope.strip().split("\\s+")));
      }
      out.put("scopes", scopes);
    } else {
      out.put("auth_method", "other");
      out.put("subject", who.getName());
    }
    return out;
  }
}
