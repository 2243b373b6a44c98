package dev.keygate.docs.jaxrs;

import dev.keygate.jaxrs.RequireScopes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;

/** jaxrs-filter/README.md, "Interfaces and superclasses". */
// tag::jaxrs-inherited[]
interface OrdersApi {
  @DELETE @Path("{id}") @RequireScopes("orders.admin") void delete(@PathParam("id") String id);
  @GET @Path("{id}") String get(@PathParam("id") String id);
}

@Path("/orders")
@Produces("text/plain")
@RequireScopes("orders.read")
public class OrdersResource implements OrdersApi {
  public void delete(String id) { }                        // orders.admin, from the interface method
  public String get(String id) { return "order " + id; }   // orders.read, from the class
}
// end::jaxrs-inherited[]
