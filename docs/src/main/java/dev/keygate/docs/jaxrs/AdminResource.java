package dev.keygate.docs.jaxrs;

import dev.keygate.jaxrs.RequireScopes;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;

/** jaxrs-filter/README.md, "Sub-resource locators": the sub-resource (public, as JAX-RS needs). */
// tag::jaxrs-locator-sub-resource[]
@Produces("text/plain")
public class AdminResource {
  @GET @PermitAll public String status() { return "up"; }              // still orders.admin
  @POST @RequireScopes("orders.write") public void purge() { }         // orders.admin and orders.write
}
// end::jaxrs-locator-sub-resource[]
