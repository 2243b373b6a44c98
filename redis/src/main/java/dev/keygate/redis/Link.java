package dev.keygate.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command connection to Redis, and whether Redis answers. A call that Redis does not answer
 * within the timeout (or cannot be sent: not connected) starts an outage, logged once; during an
 * outage calls are answered "unavailable" at once, but for one probe per retry interval while the
 * connection is up, and the first call answered ends the outage (logged once). Thread-safe.
 */
final class Link implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Link.class);

  private final RedisClient client;
  private final RedisURI uri;
  private final long timeoutNanos;
  private final long retryNanos;
  private final ScheduledExecutorService reconnects;
  private volatile @Nullable StatefulRedisConnection<String, String> connection;
  private final AtomicReference<@Nullable Instant> downSince = new AtomicReference<>();
  private final AtomicLong nextProbe = new AtomicLong();
  private final LongAdder localDecisions = new LongAdder();
  private volatile boolean closed;

  Link(RedisClient client, RedisURI uri, Duration timeout, Duration retryInterval,
      ScheduledExecutorService reconnects) {
    this.client = client;
    this.uri = uri;
    this.timeoutNanos = timeout.toNanos();
    this.retryNanos = retryInterval.toNanos();
    this.reconnects = reconnects;
    connect();
  }

  /** Connects now, or keeps trying every retry interval in the background. */
  private void connect() {
    if (closed) {
      return;
    }
    try {
      connection = client.connect(StringCodec.UTF8, uri);
    } catch (RuntimeException e) {
      unavailable(e);
      reconnects.schedule(this::connect, retryNanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * Runs {@code command}, or {@code onNoScript} when Redis answers that it does not know a script
   * (it restarted since it was loaded).
   *
   * @return Redis's answer, or null when Redis did not answer in time (decide locally)
   */
  <T> @Nullable T call(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command,
      Function<RedisAsyncCommands<String, String>, RedisFuture<T>> onNoScript) {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null || !c.isOpen()) {
      return unavailable(c == null ? "not connected yet" : "connection lost");
    }
    if (downSince.get() != null && !probeDue()) {
      return null;
    }
    try {
      T answer;
      try {
        answer = await(command.apply(c.async()));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RedisNoScriptException)) {
          throw e;
        }
        answer = await(onNoScript.apply(c.async()));
      }
      answered();
      return answer;
    } catch (TimeoutException e) {
      return unavailable("no answer within " + Duration.ofNanos(timeoutNanos).toMillis() + " ms");
    } catch (ExecutionException e) {
      return unavailable(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (RuntimeException e) { // a command refused before it was sent (disconnected)
      return unavailable(e);
    }
  }

  private <T> T await(RedisFuture<T> f) throws ExecutionException, TimeoutException, InterruptedException {
    try {
      return f.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(false);
      throw e;
    }
  }

  /** One caller per retry interval may try Redis during an outage. */
  private boolean probeDue() {
    long now = System.nanoTime();
    long due = nextProbe.get();
    return now - due >= 0 && nextProbe.compareAndSet(due, now + retryNanos);
  }

  private void answered() {
    Instant since = downSince.getAndSet(null);
    if (since != null) {
      LOG.info("Redis at {}:{} answers again (it did not since {}); rate limits are shared again", uri.getHost(),
          uri.getPort(), since);
    }
  }

  private <T> @Nullable T unavailable(Object why) {
    nextProbe.set(System.nanoTime() + retryNanos);
    if (downSince.compareAndSet(null, Instant.now())) {
      LOG.warn("Redis at {}:{} does not answer ({}); each node limits on its own and key changes are not announced"
          + " until it does", uri.getHost(), uri.getPort(), why instanceof Throwable t ? t.toString() : why);
    }
    return null;
  }

  /** Counts a decision made locally because {@link #call} answered null. */
  void countLocalDecision() {
    localDecisions.increment();
  }

  long localDecisions() {
    return localDecisions.sum();
  }

  Optional<Instant> downSince() {
    return Optional.ofNullable(downSince.get());
  }

  boolean down() {
    return downSince.get() != null;
  }

  @Override
  public void close() {
    closed = true;
    StatefulRedisConnection<String, String> c = connection;
    if (c != null) {
      c.close();
    }
  }

  @Override
  public String toString() {
    return "Link[" + uri.getHost() + ":" + uri.getPort() + (down() ? ", down" : "") + "]";
  }
}
