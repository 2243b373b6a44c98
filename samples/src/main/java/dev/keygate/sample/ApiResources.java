package dev.keygate.sample;

import dev.keygate.AuthMethod;
import dev.keygate.KeygatePrincipal;
import dev.keygate.jaxrs.RequireEnvironment;
import dev.keygate.jaxrs.RequireScopes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The protected resources, each with the scope the reference products use. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public final class ApiResources {
  @Context private SecurityContext security;

  @GET
  @Path("/datasets")
  @RequireScopes("datasets.read")
  public Map<String, Object> datasets() {
    return Map.of("organization", organization(), "items", List.of(Map.of("id", "ds_1", "name", "example")));
  }

  @POST
  @Path("/datasets")
  @RequireScopes("datasets.write")
  public Response createDataset() {
    return Response.status(201).entity(Map.of("id", "ds_2", "organization", organization())).build();
  }

  @GET
  @Path("/projects")
  @RequireScopes("projects.read")
  public Map<String, Object> projects() {
    return Map.of("organization", organization(), "items", List.of());
  }

  /** Exports take data out of the platform: live keys only (a test key is 403). */
  @POST
  @Path("/exports")
  @RequireScopes("exports.create")
  @RequireEnvironment(SampleApp.LIVE)
  public Response export() {
    return Response.status(202).entity(Map.of("status", "queued", "organization", organization())).build();
  }

  @GET
  @Path("/tasks")
  @RequireScopes("tasks.read")
  public Map<String, Object> tasks() {
    return Map.of("organization", organization(), "items", List.of());
  }

  /** Who am I: any valid credential. */
  @GET
  @Path("/me")
  @RequireScopes
  public Map<String, Object> me() {
    KeygatePrincipal p = principal();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("auth_method", p.method() == AuthMethod.API_KEY ? "api_key" : "bearer");
    out.put("subject", p.subject());
    out.put("organization", p.owner());
    out.put("scopes", p.scopes());
    if (p.keyId() != null) {
      out.put("key_id", p.keyId());
      out.put("key_name", p.keyName());
    }
    return out;
  }

  private KeygatePrincipal principal() {
    return (KeygatePrincipal) security.getUserPrincipal();
  }

  private String organization() {
    return Organizations.ofCaller(security);
  }
}
