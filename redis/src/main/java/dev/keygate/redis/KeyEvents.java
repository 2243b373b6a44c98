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
 * Key changes over Redis pub/sub: the ids of changed keys are published on one channel, and every
 * node's subscription tells its listeners. Lettuce subscribes again after a reconnect; what was
 * published meanwhile is lost, which the store's own polling makes up for.
 */
final class KeyEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyEvents.class);
  /** Key ids are short; anything longer on the channel is not Keygate's and is ignored. */
  static final int MAX_KEY_ID_LENGTH = 200;

  private final RedisClient client;
  private final RedisURI uri;
  private final String channel;
  private final long retryNanos;
  private final ScheduledExecutorService reconnects;
  private final KeyChangeListeners listeners = new KeyChangeListeners();
  private volatile @Nullable StatefulRedisPubSubConnection<String, String> connection;
  private volatile boolean closed;

  KeyEvents(RedisClient client, RedisURI uri, String channel, Duration retryInterval,
      ScheduledExecutorService reconnects) {
    this.client = client;
    this.uri = uri;
    this.channel = channel;
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
        public void message(String from, String keyId) {
          if (channel.equals(from) && !keyId.isEmpty() && keyId.length() <= MAX_KEY_ID_LENGTH) {
            listeners.fire(keyId);
          }
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
