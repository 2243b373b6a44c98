package dev.keygate.docs.jaxrs;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** jaxrs-filter/README.md, "Bearer tokens": the application's own token filter. */
// tag::jaxrs-token-filter[]
@Priority(Priorities.AUTHENTICATION + 10)    // after Keygate, before its scope checks
public class MyTokenFilter implements ContainerRequestFilter {
  private final MyTokens myTokens = MyTokens.shared();  // yours: verifies a token, null when invalid

  @Override
  public void filter(ContainerRequestContext request) {
    String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)
        || request.getSecurityContext().getUserPrincipal() != null) {
      return;                                  // no token, or an API key already authenticated
    }
    MyUser user = myTokens.verify(header.substring(7).strip());
    if (user == null) {
      return;                                  // Keygate answers 401 on protected methods
    }
    boolean secure = request.getSecurityContext().isSecure();
    request.setSecurityContext(new SecurityContext() {
      public Principal getUserPrincipal() { return user::name; }
      public boolean isUserInRole(String scope) { return user.scopes().contains(scope); }
      public boolean isSecure() { return secure; }
      public String getAuthenticationScheme() { return "Bearer"; }
    });
  }
}
// end::jaxrs-token-filter[]
