package dev.keygate.sample;

import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import dev.keygate.RateLimiter;
import dev.keygate.jaxrs.PublicResource;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import org.jspecify.annotations.Nullable;

/**
 * Public signup: creates an organization and its first key, with full access; 5 per minute per client address,
 * where an IPv6 client is its /64 network (one subscriber usually holds a whole /64, so counting
 * single IPv6 addresses would limit nobody), as the engine's failure throttle counts.
 */
@Path("/v1/signup")
@PublicResource
@Produces(MediaType.APPLICATION_JSON)
public final class SignupResource {
  /** The scope that allows managing the organization's keys. */
  static final String ADMIN_SCOPE = "keys.admin";

  private final ApiKeyService service;
  private final AuthenticationEngine engine;
  private final Organizations organizations;
  private final RateLimiter limiter;
  private final Clock clock;
  @Context private HttpServletRequest request;

  SignupResource(ApiKeyService service, AuthenticationEngine engine, Organizations organizations,
      RateLimiter limiter, Clock clock) {
    this.service = service;
    this.engine = engine;
    this.organizations = organizations;
    this.limiter = limiter;
    this.clock = clock;
  }

  /** The body of {@code POST /api/v1/signup}. */
  record Signup(@Nullable String organization) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response signup(@Nullable Signup body) {
    AuthenticationRequest seen = AuthenticationRequest.of(name -> Collections.list(request.getHeaders(name)),
        engine.apiKeyHeaders(), request.getRemoteAddr(), request.isSecure());
    long wait = limiter.tryAcquire(engine.clientAddress(seen).throttleKey());
    if (wait > 0) {
      Refused limited = Refused.throttled(wait);
      Response.ResponseBuilder r = Response.status(429).entity(limited.body());
      limited.headers().forEach(r::header);
      return r.build();
    }
    String name = body == null || body.organization() == null ? "" : body.organization().strip();
    if (!Organizations.isValidName(name)) {
      return Problem.of(400, "organization: must be 1 to 64 letters, digits, spaces, '.', '_' or '-', "
          + "starting with a letter or digit");
    }
    if (!organizations.create(name, clock.instant())) {
      return Problem.of(409, "organization: the name is taken");
    }
    // the organization's first key has full access (no scopes), as the bootstrap key does: it must be
    // able to create keys with any scope, and a caller cannot grant what it does not hold
    IssuedKey admin = service.create(NewKey.named("admin").withOwner(name).withEnvironment(SampleApp.LIVE));
    return Response.created(URI.create("/api/v1/keys/" + admin.key().id())).header("Cache-Control", "no-store")
        .entity(KeyView.of(admin.key(), admin.plaintext(), clock.instant())).build();
  }
}
