package dev.keygate.docs.jaxrs;

import dev.keygate.jaxrs.RequireScopes;
import jakarta.ws.rs.Path;

/** jaxrs-filter/README.md, "Sub-resource locators": the locator. */
// tag::jaxrs-locator[]
@Path("/shop")
public class ShopResource {
  @Path("admin")
  @RequireScopes("orders.admin")
  public AdminResource admin() { return new AdminResource(); }
}
// end::jaxrs-locator[]
