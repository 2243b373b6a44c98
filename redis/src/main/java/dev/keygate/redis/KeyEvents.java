package dev.keygate.redis;

import dev.keygate.KeyChangeListeners;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key changes over Redis pub/sub: the ids of changed keys are published on one channel as {@code
 * <node>:<key id>}, and every other node's subscription tells its listeners (a node's own changes
 * were told by its store already). Lettuce subscribes again after a reconnect; what was published
 * meanwhile is lost, which the store's own polling makes up for.
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
  private volatile @Nullable StatefulRedisPubSubConnection<String, String> connection;
  private volatile boolean closed;

  KeyEvents(RedisClient client, RedisURI uri, String channel, String node, Duration retryInterval,
      ScheduledExecutorService reconnects) {
    this.client = client;
    this.uri = uri;
    this.channel = channel;
    this.node = node;
    this.retryNanos = retryInterval.toNanos();
    this.reconnects = reconnects;
    subscribe();
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

  /** Subscribes now, or keeps trying every retry interval in the background. */
  private synchronized void subscribe() {
    if (closed) {
      return;
    }
    StatefulRedisPubSubConnection<String, String> c = null;
    try {
      c = client.connectPubSub(StringCodec.UTF8, uri);
      c.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String from, String message) {
          received(from, message);
        }
      });
      c.sync().subscribe(channel);
      connection = c;
    } catch (RuntimeException e) {
      if (c != null) {
        c.close();
      }
      LOG.warn("cannot subscribe to {} on Redis at {}:{} ({}); trying again in {} ms, the store's polling meanwhile",
          channel, uri.getHost(), uri.getPort(), e.toString(), TimeUnit.NANOSECONDS.toMillis(retryNanos));
      reconnects.schedule(this::subscribe, retryNanos, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    StatefulRedisPubSubConnection<String, String> c = connection;
    if (c != null) {
      c.close();
    }
  }
}
