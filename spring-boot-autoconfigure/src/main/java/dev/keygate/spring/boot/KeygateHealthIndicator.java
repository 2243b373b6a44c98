package dev.keygate.spring.boot;

import dev.keygate.ApiKeyStore;
import dev.keygate.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of Keygate's store: up when a lookup answers (a key id that cannot exist, so nothing is
 * hashed or counted), down when the store is unreachable, with the time the outage began. Details
 * never carry a secret, a connection string or the driver's message: only the store's type and,
 * when down, the failure's type and since when.
 */
public final class KeygateHealthIndicator extends AbstractHealthIndicator {
  /** A well-formed key id no key has: looked up on every check. */
  static final String PROBE_ID = "healthcheck0";

  private final ApiKeyStore store;
  private final Clock clock;
  private final AtomicReference<@Nullable Instant> downSince = new AtomicReference<>();

  /**
   * A health indicator of {@code store}.
   *
   * @param store the store to probe
   * @param clock the clock the outage time is read from
   */
  public KeygateHealthIndicator(ApiKeyStore store, Clock clock) {
    super("Keygate store health check failed");
    this.store = store;
    this.clock = clock;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    builder.withDetail("store", store.getClass().getSimpleName());
    try {
      store.findById(PROBE_ID);
      downSince.set(null);
      builder.up();
    } catch (RuntimeException e) {
      Instant since = downSince.updateAndGet(s -> s != null ? s : clock.instant());
      builder.down().withDetail("since", since.toString()).withDetail("error",
          e instanceof StoreUnavailableException ? "store unavailable" : e.getClass().getSimpleName());
    }
  }

  @Override
  public String toString() {
    return "KeygateHealthIndicator[" + store.getClass().getSimpleName() + "]";
  }
}
