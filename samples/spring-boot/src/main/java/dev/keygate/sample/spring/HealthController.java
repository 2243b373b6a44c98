package dev.keygate.sample.spring;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /health} (public): 200 {@code {"status":"ok"}} while Keygate's store answers, 503
 * {@code {"status":"unavailable"}} with {@code Retry-After} while it does not; never the cause.
 * The details are at {@code /actuator/health}, for authenticated callers.
 */
@RestController
class HealthController {
  private static final String OK = "{\"status\":\"ok\"}";
  private static final String UNAVAILABLE = "{\"status\":\"unavailable\",\"detail\":\"The key store cannot be reached.\"}";

  private final HealthIndicator store;

  HealthController(@Qualifier("keygateHealthIndicator") HealthIndicator store) {
    this.store = store;
  }

  @GetMapping("/health")
  ResponseEntity<String> health() {
    var health = store.health(false);
    boolean up = health != null && Status.UP.equals(health.getStatus());
    ResponseEntity.BodyBuilder r = up ? ResponseEntity.ok() : ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header("Retry-After", "1");
    return r.contentType(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store").body(up ? OK : UNAVAILABLE);
  }
}
