package dev.keygate.docs.jaxrs;

import dev.keygate.jaxrs.PublicResource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/** A public route beside the protected ones. */
@Path("/health")
@Produces("text/plain")
public class HealthResource {
  /** Always "ok", to anyone. */
  @GET
  @PublicResource
  public String health() {
    return "ok";
  }
}
