package dev.keygate.sample;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.IssuedKey;
import dev.keygate.KeyNotFoundException;
import dev.keygate.KeyStatus;
import dev.keygate.NewKey;
import dev.keygate.jaxrs.RequireScopes;
import dev.keygate.spi.KeyQuery;
import dev.keygate.spi.Page;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Key management for the caller's own organization; another organization's key is 404, as if absent. */
@Path("/v1/keys")
@RequireScopes("keys.admin")
@Produces(MediaType.APPLICATION_JSON)
public final class KeysResource {
  private final ApiKeyService service;
  private final AuthenticationEngine engine;
  private final Clock clock;
  @Context private SecurityContext security;

  KeysResource(ApiKeyService service, AuthenticationEngine engine, Clock clock) {
    this.service = service;
    this.engine = engine;
    this.clock = clock;
  }

  /** The body of {@code POST /api/v1/keys}; only {@code name} is required. */
  record CreateKey(@Nullable String name, @Nullable Set<String> scopes, @Nullable String environment,
      @Nullable Instant expiresAt, @Nullable List<String> allowedIps) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(@Nullable CreateKey body) {
    if (body == null) {
      return Problem.of(400, "A JSON body is required.");
    }
    NewKey request = NewKey.named(body.name() == null ? "" : body.name())
        .withScopes(body.scopes() == null ? Set.of() : body.scopes())
        .withEnvironment(body.environment())
        .withOwner(organization())
        .withExpiresAt(body.expiresAt())
        .withAllowedIps(body.allowedIps() == null ? List.of() : body.allowedIps());
    IssuedKey issued = service.create(request);
    return Response.created(URI.create("/api/v1/keys/" + issued.key().id()))
        .header("Cache-Control", "no-store")
        .entity(KeyView.of(issued.key(), issued.plaintext(), clock.instant())).build();
  }

  @GET
  public Map<String, Object> list(@QueryParam("status") @Nullable String status,
      @QueryParam("offset") @DefaultValue("0") int offset, @QueryParam("limit") @DefaultValue("50") int limit) {
    if (offset < 0 || limit < 1 || limit > 200) {
      throw new BadRequest("offset must be 0 or more and limit from 1 to 200");
    }
    engine.flushUsage(); // show this node's latest counts
    Instant now = clock.instant();
    KeyQuery query = KeyQuery.all(now).withOwner(organization()).withPage(offset, limit);
    if (status != null) {
      try {
        query = query.withStatus(KeyStatus.valueOf(status.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new BadRequest("status must be active, revoked or expired");
      }
    }
    Page<ApiKey> page = service.list(query);
    return Map.of("items", page.items().stream().map(k -> KeyView.of(k, null, now)).toList(),
        "has_more", page.hasMore(), "next_offset", page.hasMore() ? page.nextOffset() : offset + page.items().size());
  }

  @GET
  @Path("/{id}")
  public KeyView get(@PathParam("id") String id) {
    engine.flushUsage();
    return KeyView.of(own(id), null, clock.instant());
  }

  @POST
  @Path("/{id}/rotate")
  public Response rotate(@PathParam("id") String id) {
    own(id);
    IssuedKey issued = service.rotate(id);
    return Response.ok(KeyView.of(issued.key(), issued.plaintext(), clock.instant()))
        .header("Cache-Control", "no-store").build();
  }

  @POST
  @Path("/{id}/revoke")
  public KeyView revoke(@PathParam("id") String id) {
    own(id);
    return KeyView.of(service.revoke(id), null, clock.instant());
  }

  @DELETE
  @Path("/{id}")
  public Response delete(@PathParam("id") String id) {
    own(id);
    service.delete(id);
    return Response.noContent().build();
  }

  private ApiKey own(String id) {
    String org = organization();
    return service.get(id).filter(k -> Objects.equals(k.owner(), org))
        .orElseThrow(() -> new KeyNotFoundException(id));
  }

  private String organization() {
    return Organizations.ofCaller(security);
  }

  /** A 400 with a detail. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String detail) {
      super(detail, null, false, false);
    }
  }

  /** A 403 with a detail. */
  static final class Forbidden extends RuntimeException {
    Forbidden(String detail) {
      super(detail, null, false, false);
    }
  }
}
