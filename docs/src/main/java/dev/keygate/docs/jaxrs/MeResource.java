package dev.keygate.docs.jaxrs;

import dev.keygate.KeygatePrincipal;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

/** jaxrs-filter/README.md: a resource reads its caller from the {@code SecurityContext}. */
@Path("/")
@Produces("text/plain")
public class MeResource {
  // tag::jaxrs-security-context[]
  @GET
  @Path("me")
  public String me(@Context SecurityContext security) {
    KeygatePrincipal who = (KeygatePrincipal) security.getUserPrincipal(); // key id, name, owner, scopes
    String scheme = security.getAuthenticationScheme();     // "API_KEY" or "BEARER"
    boolean reads = security.isUserInRole("orders.read");   // scope check, wildcards honoured
    return who.keyName() + " " + scheme + " orders.read=" + reads;
  }
  // end::jaxrs-security-context[]
}
