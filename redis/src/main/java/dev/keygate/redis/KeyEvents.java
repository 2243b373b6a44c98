package dev.keygate.redis;

import dev.keygate.KeyChangeListeners;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key changes over Redis pub/sub: the ids of changed keys are published on one channel as {@code
 * <node>:<key id>}, and every other node's subscription tells its listeners (a node's own changes
 * were told by its store already). Subscribing happens in the background, again every retry
 * interval until it succeeds (a failure logged once); Lettuce subscribes again after a reconnect.
 * What was published while a node was not subscribed is lost to it, which the store's own polling
 * makes up for.
 */
final class KeyEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyEvents.class);
  /** Key ids are short; anything longer on the channel is not Keygate's and is ignored. */
  static final int MAX_KEY_ID_LENGTH = 200;

  private final RedisClient client;
  private final RedisURI uri;
  private final String channel;
  /** This node's mark on what it publishes, random per {@link KeygateRedis}. */
  private final String node;
  private final long retryNanos;
  private final ScheduledExecutorService reconnects;
  private final KeyChangeListeners listeners = new KeyChangeListeners();
  private @Nullable StatefulRedisPubSubConnection<String, String> connection;
  private boolean closed;
  private boolean failing;

  KeyEvents(RedisClient client, RedisURI uri, String channel, String node, Duration retryInterval,
      Duration connectTimeout, ScheduledExecutorService reconnects) {
    this.client = client;
    this.uri = uri;
    this.channel = channel;
    this.node = node;
    this.retryNanos = retryInterval.toNanos();
    this.reconnects = reconnects;
    try {
      subscribe().get(connectTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // subscribed() has taken note and keeps trying in the background
    }
  }

  String channel() {
    return channel;
  }

  KeyChangeListeners listeners() {
    return listeners;
  }

  /** What to publish for a change of {@code keyId}. */
  String message(String keyId) {
    return node + ":" + keyId;
  }

  /** Tells the listeners of a change another node published; ignores this node's and malformed ones. */
  void received(String from, String message) {
    int colon = message.indexOf(':');
    if (!channel.equals(from) || colon < 1 || message.length() - colon - 1 > MAX_KEY_ID_LENGTH
        || colon == message.length() - 1 || message.regionMatches(0, node, 0, colon) && colon == node.length()) {
      return;
    }
    listeners.fire(message.substring(colon + 1));
  }

  /** Connects and subscribes in the background; a failure tries again after the retry interval. */
  private synchronized CompletableFuture<?> subscribe() {
    if (closed) {
      return CompletableFuture.completedFuture(null);
    }
    return client.connectPubSubAsync(StringCodec.UTF8, uri).toCompletableFuture()
        .thenCompose(c -> {
          c.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
              received(from, message);
            }
          });
          return c.async().subscribe(channel).toCompletableFuture().handle((ok, e) -> {
            if (e != null) {
              c.closeAsync();
              throw new java.util.concurrent.CompletionException(e);
            }
            return c;
          });
        })
        .whenComplete(this::subscribed);
  }

  private void subscribed(@Nullable StatefulRedisPubSubConnection<String, String> c, @Nullable Throwable failure) {
    boolean closeIt;
    synchronized (this) {
      closeIt = closed && c != null;
      if (failure == null && !closed) {
        connection = c;
        if (failing) {
          LOG.info("subscribed to {} on Redis at {}:{}", channel, uri.getHost(), uri.getPort());
        }
        failing = false;
      }
    }
    if (closeIt) {
      c.closeAsync();
      return;
    }
    if (failure != null) {
      synchronized (this) {
        if (!failing) {
          LOG.warn("cannot subscribe to {} on Redis at {}:{} ({}); trying again every {} ms, the store's polling "
              + "meanwhile", channel, uri.getHost(), uri.getPort(), failure.toString(),
              TimeUnit.NANOSECONDS.toMillis(retryNanos));
        }
        failing = true;
      }
      try {
        reconnects.schedule(this::subscribe, retryNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        // closing
      }
    }
  }

  @Override
  public void close() {
    StatefulRedisPubSubConnection<String, String> c;
    synchronized (this) {
      closed = true;
      c = connection;
      connection = null;
    }
    if (c != null) {
      c.close();
    }
  }
}
