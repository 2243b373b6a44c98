package dev.keygate.redis;

import dev.keygate.ApiKeyStore;
import dev.keygate.RateLimiters;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Keygate's use of one Redis, shared by every node of a fleet: {@link #rateLimiters()} keeps the
 * rate-limit buckets there (each key's own limit, the failure throttles and the application's
 * limiters), and {@link #invalidating(ApiKeyStore)} announces key changes over pub/sub.
 *
 * <pre>{@code
 * KeygateRedis redis = KeygateRedis.builder().uri("redis://redis.internal:6379").build();
 * Keygate keygate = Keygate.builder()
 *     .store(redis.invalidating(store))   // only for a store without its own push (not PostgreSQL)
 *     .rateLimiters(redis.rateLimiters())
 *     .keyFormat(KeyFormat.withPrefix("acme_live"))
 *     .build();
 * // on shutdown: keygate.close(), then redis.close()
 * }</pre>
 *
 * <p>A rate-limited request costs one Redis round trip (an atomic Lua script), which never waits
 * longer than {@link Builder#timeout}; the cached hot path of a key without a rate limit does not
 * touch Redis. While Redis does not answer, each node limits on its own, at once: the outage is
 * logged once, counted ({@link RateLimiters#localDecisions()}, the {@code
 * keygate.limits.local.decisions} meter), and ends at the first answer, probed once per {@link
 * Builder#retryInterval}. Buckets are refilled by the nodes' clocks, which should agree as NTP
 * keeps them (milliseconds): a node whose clock is behind refills nothing, one ahead by a
 * fraction of a second refills that fraction's tokens early.
 *
 * <p>Closing closes the connections Keygate opened, and the client when Keygate created it (from
 * {@link Builder#uri}); a client given with {@link Builder#client} stays the application's. Close
 * the {@code Keygate} first. Thread-safe.
 */
public final class KeygateRedis implements AutoCloseable {
  /** How long connecting may take (and how long building waits for it, at most). */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final RedisURI uri;
  private final String keyPrefix;
  private final Duration retryInterval;
  private final RedisClient client;
  private final @Nullable ClientResources ownResources;
  private final ScheduledExecutorService reconnects;
  private final Link link;
  private final RedisRateLimiters limiters;
  private @Nullable KeyEvents events;
  private boolean closed;

  private KeygateRedis(Builder b, RedisURI given) {
    // the URI's timeout bounds a connection's handshake; commands have their own (Builder#timeout)
    this.uri = RedisURI.builder(given).withTimeout(CONNECT_TIMEOUT).build();
    this.keyPrefix = b.keyPrefix;
    this.retryInterval = b.retryInterval;
    if (b.client != null) {
      this.client = b.client;
      this.ownResources = null;
    } else {
      this.ownResources = ClientResources.builder().reconnectDelay(Delay.constant(b.retryInterval)).build();
      this.client = RedisClient.create(ownResources);
      client.setOptions(ClientOptions.builder().autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).build()).build());
    }
    this.reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "keygate-redis-reconnect");
      t.setDaemon(true);
      return t;
    });
    this.link = new Link(client, uri, b.timeout, b.retryInterval, CONNECT_TIMEOUT, reconnects);
    this.limiters = new RedisRateLimiters(link, keyPrefix);
  }

  /**
   * A builder; {@link Builder#uri} is required.
   *
   * @return a builder with nothing set
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Rate-limit buckets in Redis, for {@code Keygate.builder().rateLimiters(...)}.
   *
   * @return the shared limiters (the same object on every call)
   */
  public RateLimiters rateLimiters() {
    return limiters;
  }

  /**
   * {@code store}, announcing each successful update and delete (a revocation, a rotation) on the
   * channel {@code <keyPrefix>keys-changed} (as {@code <node>:<key id>}), and telling the engine of the changes other nodes
   * announce there: a revocation reaches every node in milliseconds. For stores without a push of
   * their own (MySQL, H2, most third-party stores); keep their polling on as the safety net, since
   * what is announced while a node is not subscribed is not repeated. The first call subscribes
   * (waiting for it up to 2 s, then on in the background).
   *
   * @param store the application's store, which stays the application's
   * @return the store to give Keygate's builder
   */
  public synchronized ApiKeyStore invalidating(ApiKeyStore store) {
    Objects.requireNonNull(store, "store");
    if (events == null) {
      events = new KeyEvents(client, uri, keyPrefix + "keys-changed", nodeId(), retryInterval, CONNECT_TIMEOUT,
          reconnects);
    }
    return new InvalidatingStore(store, link, events);
  }

  /** A random name for this node's announcements, so that it does not act on its own. */
  private static String nodeId() {
    byte[] bytes = new byte[9];
    new java.security.SecureRandom().nextBytes(bytes);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Closes the connections Keygate opened, then the client if Keygate created it. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    reconnects.shutdownNow();
    if (events != null) {
      events.close();
    }
    link.close();
    if (ownResources != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      ownResources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return "KeygateRedis[" + uri.getHost() + ":" + uri.getPort() + ", prefix=" + keyPrefix + "]";
  }

  /** Configuration for {@link KeygateRedis}; each value is checked as it is given. */
  public static final class Builder {
    private @Nullable RedisURI uri;
    private @Nullable RedisClient client;
    private String keyPrefix = "keygate:";
    private Duration timeout = Duration.ofMillis(50);
    private Duration retryInterval = Duration.ofSeconds(1);

    private Builder() {}

    /**
     * Where Redis is (required): {@code redis://[user:password@]host[:port][/database]}, or {@code
     * rediss://} for TLS.
     *
     * @param uri the Redis URI
     * @return this builder
     * @throws IllegalArgumentException if it is not a Redis URI (the message does not repeat it: it
     *     may hold a password)
     */
    public Builder uri(String uri) {
      Objects.requireNonNull(uri, "uri");
      try {
        return uri(RedisURI.create(uri));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "not a Redis URI (redis://[user:password@]host[:port][/database]); the value is not repeated here");
      }
    }

    /**
     * Where Redis is (required).
     *
     * @param uri the Redis URI
     * @return this builder
     */
    public Builder uri(RedisURI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      return this;
    }

    /**
     * A client of the application's, to open Keygate's connections with (its resources, options
     * and reconnect delay are then the application's; Keygate checks that a connection is open
     * before each call, so a client that queues commands while disconnected does not hold a
     * request up). Default: Keygate creates its own, and closes it.
     *
     * @param client the application's client, which stays the application's to close
     * @return this builder
     */
    public Builder client(RedisClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * What every Redis key and channel of Keygate's starts with; default {@code keygate:}. Nodes
     * that share limits share the prefix.
     *
     * @param keyPrefix 1 to 64 characters, no white space
     * @return this builder
     */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (keyPrefix.isEmpty() || keyPrefix.length() > 64 || keyPrefix.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException("keyPrefix must be 1 to 64 characters without white space, got '"
            + keyPrefix + "'");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * The longest a request waits for Redis before its node decides alone; default 50 ms.
     *
     * @param timeout from 1 ms to 10 s
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = within("timeout", timeout, Duration.ofMillis(1), Duration.ofSeconds(10));
      return this;
    }

    /**
     * During an outage, how often one request tries Redis again (and how often Keygate's own client
     * reconnects); default 1 s.
     *
     * @param retryInterval from 10 ms to 1 min
     * @return this builder
     */
    public Builder retryInterval(Duration retryInterval) {
      this.retryInterval = within("retryInterval", retryInterval, Duration.ofMillis(10), Duration.ofMinutes(1));
      return this;
    }

    private static Duration within(String name, Duration value, Duration min, Duration max) {
      Objects.requireNonNull(value, name);
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
      }
      return value;
    }

    /**
     * Connects (a Redis that does not answer yet does not fail this: Keygate limits locally and
     * keeps trying in the background).
     *
     * @return the connected (or connecting) Keygate Redis
     * @throws IllegalStateException if no URI was given
     */
    public KeygateRedis build() {
      if (uri == null) {
        throw new IllegalStateException("uri is required: KeygateRedis.builder().uri(\"redis://host:6379\")");
      }
      return new KeygateRedis(this, uri);
    }
  }
}
