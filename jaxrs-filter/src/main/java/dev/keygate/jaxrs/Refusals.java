package dev.keygate.jaxrs;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
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
   * The engine's answer to a request without credentials (401 with its challenge), for a protected
   * resource reached without a principal.
   */
  static Refused missingCredentials(AuthenticationEngine engine) {
    // The engine keeps this refusal private; a secure request with no headers always gets it.
    AuthenticationResult result =
        engine.authenticate(AuthenticationRequest.from("127.0.0.1").secure(true).build());
    if (result instanceof Refused refused) {
      return refused;
    }
    throw new IllegalStateException("engine admitted a request without credentials: " + result);
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
