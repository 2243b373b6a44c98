package dev.keygate.sample.spring;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.RateLimiter;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/signup} (public): creates an organization and its first key, with full
 * access; 5 per minute per client address, where an IPv6 client is its /64 network and a trusted
 * proxy's forwarded address counts (the engine's client address, as its failure throttle counts).
 */
@RestController
class SignupController {
  static final RateLimit LIMIT = new RateLimit(5, Duration.ofMinutes(1));

  private final Keygate keygate;
  private final Organizations organizations;
  private final RateLimiter limiter;

  SignupController(Keygate keygate, Organizations organizations) {
    this.keygate = keygate;
    this.organizations = organizations;
    this.limiter = keygate.rateLimiter("signup", LIMIT);
  }

  /** The body of {@code POST /api/v1/signup}. */
  record Signup(@Nullable String organization) {}

  @PostMapping(path = "/api/v1/signup", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Object> signup(@RequestBody(required = false) @Nullable Signup body, HttpServletRequest request) {
    AuthenticationEngine engine = keygate.engine();
    AuthenticationRequest seen = AuthenticationRequest.of(name -> Collections.list(request.getHeaders(name)),
        engine.apiKeyHeaders(), request::getRemoteAddr, request.isSecure());
    long wait = limiter.tryAcquire(engine.clientAddress(seen).throttleKey());
    if (wait > 0) {
      Refused limited = Refused.throttled(wait);
      ResponseEntity.BodyBuilder r = ResponseEntity.status(limited.status()).contentType(MediaType.APPLICATION_JSON);
      limited.headers().forEach((name, value) -> r.header(name, value));
      return r.body(limited.body());
    }
    String name = body == null || body.organization() == null ? "" : body.organization().strip();
    if (!Organizations.isValidName(name)) {
      return ErrorReplies.detail(HttpStatus.BAD_REQUEST, "organization: must be 1 to 64 letters, digits, spaces, "
          + "'.', '_' or '-', starting with a letter or digit");
    }
    if (!organizations.create(name, keygate.clock().instant())) {
      return ErrorReplies.detail(HttpStatus.CONFLICT, "organization: the name is taken");
    }
    // full access (no scopes), as the bootstrap key: it must be able to grant every scope
    IssuedKey admin = keygate.keys().create(NewKey.named("admin").withOwner(name));
    Map<String, Object> view = KeyFields.of(admin.key(), admin.plaintext(), keygate.clock().instant());
    return ResponseEntity.created(URI.create("/api/v1/keys/" + admin.key().id())).header("Cache-Control", "no-store")
        .contentType(MediaType.APPLICATION_JSON).body(view);
  }
}
