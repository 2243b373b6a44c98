package dev.keygate.jaxrs;

import dev.keygate.AuthenticationResult.Refused;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

/** Turns the engine's refusals into JAX-RS responses; no decision is taken here. */
final class Refusals {
  private Refusals() {}

  /** The refusal's status, JSON body and exactly its headers. */
  static Response toResponse(Refused refused) {
    Response.ResponseBuilder response = Response.status(refused.status());
    refused.headers().forEach(response::header);
    return response.entity(refused.body()).build();
  }

  /**
   * Whether this is a CORS preflight: {@code OPTIONS} with {@code Origin} and {@code
   * Access-Control-Request-Method}. Browsers never send credentials on one.
   */
  static boolean isPreflight(ContainerRequestContext request) {
    return "OPTIONS".equals(request.getMethod())
        && request.getHeaderString("Origin") != null
        && request.getHeaderString("Access-Control-Request-Method") != null;
  }
}
