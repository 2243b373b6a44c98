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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 * within the timeout (or that cannot be sent: not connected) starts an outage, logged once; during
 * an outage calls are answered "unavailable" at once, but for one probe per retry interval while
 * the connection is up, and the first call started during the outage that Redis answers ends it
 * (logged once). Connecting never holds the caller longer than the connect timeout: a connection
 * not made by then is made (or retried, every retry interval) in the background. Thread-safe.
 */
final class Link implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Link.class);

  private final RedisClient client;
  private final RedisURI uri;
  private final long timeoutNanos;
  private final long retryNanos;
  private final ScheduledExecutorService reconnects;
  private volatile @Nullable StatefulRedisConnection<String, String> connection;
  private final AtomicReference<@Nullable Outage> outage = new AtomicReference<>();
  private final AtomicLong nextProbe = new AtomicLong();
  private final LongAdder localDecisions = new LongAdder();
  private boolean connecting;
  private boolean closed;

  /** An outage: when it began, by the clock and by {@link System#nanoTime()}. */
  private record Outage(Instant since, long startNanos) {}

  Link(RedisClient client, RedisURI uri, Duration timeout, Duration retryInterval, Duration connectTimeout,
      ScheduledExecutorService reconnects) {
    this.client = client;
    this.uri = uri;
    this.timeoutNanos = timeout.toNanos();
    this.retryNanos = retryInterval.toNanos();
    this.reconnects = reconnects;
    try {
      connect().get(connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // connected() has taken note; requests decide locally until the connection is made
    }
  }

  /** Starts connecting, unless connected, connecting or closed; a failure retries later. */
  private synchronized CompletableFuture<?> connect() {
    if (closed || connecting || connection != null) {
      return CompletableFuture.completedFuture(null);
    }
    connecting = true;
    return client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture().whenComplete(this::connected);
  }

  private void connected(@Nullable StatefulRedisConnection<String, String> c, @Nullable Throwable failure) {
    boolean closeIt;
    synchronized (this) {
      connecting = false;
      closeIt = closed && c != null;
      if (c != null && !closed) {
        connection = c;
      }
    }
    if (closeIt) {
      c.closeAsync();
      return;
    }
    if (failure != null) {
      unavailable(failure);
      try {
        reconnects.schedule(this::connect, retryNanos, TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  /**
   * Runs {@code command}, or {@code onNoScript} when Redis answers that it does not know a script
   * (it restarted since it was loaded), both within one timeout.
   *
   * @return Redis's answer, or null when Redis did not answer in time (decide locally)
   */
  <T> @Nullable T call(Function<RedisAsyncCommands<String, String>, RedisFuture<T>> command,
      Function<RedisAsyncCommands<String, String>, RedisFuture<T>> onNoScript) {
    StatefulRedisConnection<String, String> c = connection;
    if (c == null || !c.isOpen()) {
      if (c == null) {
        connect();
      }
      return unavailable(c == null ? "not connected" : "connection lost");
    }
    if (outage.get() != null && !probeDue()) {
      return null;
    }
    long start = System.nanoTime();
    long deadline = start + timeoutNanos;
    try {
      T answer;
      try {
        answer = await(command.apply(c.async()), deadline);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RedisNoScriptException)) {
          throw e;
        }
        answer = await(onNoScript.apply(c.async()), deadline);
      }
      answered(start);
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

  private static <T> T await(RedisFuture<T> f, long deadline)
      throws ExecutionException, TimeoutException, InterruptedException {
    try {
      return f.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
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

  /** Ends the outage, if the call that Redis answered started after the outage began. */
  private void answered(long startNanos) {
    Outage o = outage.get();
    if (o != null && startNanos - o.startNanos() > 0 && outage.compareAndSet(o, null)) {
      LOG.info("Redis at {}:{} answers again (it did not since {}); rate limits are shared again", uri.getHost(),
          uri.getPort(), o.since());
    }
  }

  private <T> @Nullable T unavailable(Object why) {
    long now = System.nanoTime();
    nextProbe.set(now + retryNanos);
    if (outage.compareAndSet(null, new Outage(Instant.now(), now))) {
      LOG.warn("Redis at {}:{} does not answer ({}); each node limits on its own and key changes are not announced"
          + " until it does", uri.getHost(), uri.getPort(), why instanceof Throwable t ? t.toString() : why);
    }
    return null;
  }

  /** Redis answered, but not as the script does (not Redis, or another script under its name). */
  void unexpectedAnswer(List<Object> answer) {
    unavailable("an unexpected answer of " + answer.size() + " values, "
        + answer.stream().map(v -> v == null ? "null" : v.getClass().getSimpleName()).toList());
  }

  /** Counts a decision made locally because {@link #call} answered null. */
  void countLocalDecision() {
    localDecisions.increment();
  }

  long localDecisions() {
    return localDecisions.sum();
  }

  Optional<Instant> downSince() {
    Outage o = outage.get();
    return o == null ? Optional.empty() : Optional.of(o.since());
  }

  @Override
  public void close() {
    StatefulRedisConnection<String, String> c;
    synchronized (this) {
      closed = true;
      c = connection;
      connection = null;
    }
    if (c != null) {
      c.close();
    }
  }

  @Override
  public String toString() {
    return "Link[" + uri.getHost() + ":" + uri.getPort() + (outage.get() != null ? ", down" : "") + "]";
  }
}
