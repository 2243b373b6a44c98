package dev.keygate.sample;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.IssuedKey;
import dev.keygate.KeyNotFoundException;
import dev.keygate.KeyQuery;
import dev.keygate.KeyStatus;
import dev.keygate.NewKey;
import dev.keygate.Page;
import dev.keygate.jaxrs.RequireScopes;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
  static final int MAX_PAGE = 200;

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
      @QueryParam("offset") @Nullable String offsetText, @QueryParam("limit") @Nullable String limitText) {
    int offset = whole("offset", offsetText, 0, 0, Integer.MAX_VALUE, "a whole number, 0 or more");
    int limit = whole("limit", limitText, 50, 1, MAX_PAGE, "a whole number from 1 to " + MAX_PAGE);
    engine.flushUsage(); // show this node's latest counts
    Instant now = clock.instant();
    KeyQuery query = KeyQuery.all(now).withOwner(organization()).withPage(offset, limit);
    if (status != null) {
      try {
        query = query.withStatus(KeyStatus.valueOf(status.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw Problem.badRequest("status: must be active, revoked or expired");
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

  /** A whole-number query parameter: the default when absent, else 400 naming it unless in range. */
  private static int whole(String name, @Nullable String text, int absent, int min, int max, String rule) {
    if (text == null) {
      return absent;
    }
    try {
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through: the same answer for "abc", "", "1e3" and 99999999999
    }
    throw Problem.badRequest(name + ": must be " + rule);
  }

  private ApiKey own(String id) {
    String org = organization();
    return service.get(id).filter(k -> Objects.equals(k.owner(), org))
        .orElseThrow(() -> new KeyNotFoundException(id));
  }

  private String organization() {
    return Organizations.ofCaller(security);
  }
}
