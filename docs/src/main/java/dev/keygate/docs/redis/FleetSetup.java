package dev.keygate.docs.redis;

import dev.keygate.ApiKeyStore;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.RateLimit;
import dev.keygate.RateLimiter;
import dev.keygate.redis.KeygateRedis;
import java.time.Duration;

/** keygate-redis as redis/README.md and README.md show it. */
public final class FleetSetup {
  private FleetSetup() {}

  /** A node of a fleet sharing one Redis, on a store without a push of its own. */
  public static Node node(String redisUri, ApiKeyStore store) {
    // tag::redis-fleet[]
    KeygateRedis redis = KeygateRedis.builder()
        .uri(redisUri)                            // redis://[user:password@]host:6379
        .timeout(Duration.ofMillis(50))           // the longest a request waits for Redis
        .build();
    Keygate keygate = Keygate.builder()
        .store(redis.invalidating(store))         // MySQL, H2, your own store: announce changes
        .rateLimiters(redis.rateLimiters())       // each key's limit and the failure throttles
        .keyFormat(KeyFormat.withPrefix("acme_live"))
        .build();
    RateLimiter signups = keygate.rateLimiter("signup", RateLimit.perMinute(5)); // your own, shared too
    // on shutdown: keygate.close(), then redis.close()
    // end::redis-fleet[]
    return new Node(redis, keygate, signups);
  }

  /** What {@link #node} built. */
  public record Node(KeygateRedis redis, Keygate keygate, RateLimiter signups) implements AutoCloseable {
    @Override
    public void close() {
      keygate.close();
      redis.close();
    }
  }
}
