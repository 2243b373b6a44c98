package dev.keygate;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends audit events to the SLF4J logger {@code dev.keygate.audit} and to listeners. */
final class AuditTrail {
  private static final Logger LOG = LoggerFactory.getLogger("dev.keygate.audit");

  private static final String LEAK_LINE = "leak reported: outcome={} key={} owner={} source={} url={}";

  private final List<KeyEventListener> listeners;

  AuditTrail(List<KeyEventListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  /** Emits an {@link KeyEvent.Type#AUTHENTICATION_FAILED} event for a key the engine refused. */
  void authenticationFailed(Refusal reason, String keyId, @Nullable String owner, Instant at, ClientAddress client) {
    emit(new KeyEvent(KeyEvent.Type.AUTHENTICATION_FAILED, keyId, owner, at, reason.name(), client.text()));
  }

  void emit(KeyEvent event) {
    if (event.type() == KeyEvent.Type.AUTHENTICATION_FAILED) {
      if (LOG.isInfoEnabled()) {
        LOG.info("authentication failed: reason={} key={} client={}",
            event.reason(), event.keyId(), event.clientAddress());
      }
    } else if (event.type() == KeyEvent.Type.LEAK_REPORTED) {
      // a key that leaked and was acted on is worth a warning; a false positive is not
      boolean acted = "revoked".equals(event.reason()) || "marked".equals(event.reason());
      if (acted) {
        LOG.warn(LEAK_LINE, event.reason(), event.keyId(), event.owner(), event.details().get("source"),
            event.details().get("url"));
      } else if (LOG.isInfoEnabled()) {
        LOG.info(LEAK_LINE, event.reason(), event.keyId(), event.owner(), event.details().get("source"),
            event.details().get("url"));
      }
    } else if (LOG.isInfoEnabled()) {
      LOG.info("key {}: id={} owner={}", event.type().name().toLowerCase(java.util.Locale.ROOT),
          event.keyId(), event.owner());
    }
    for (KeyEventListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("audit listener {} failed", l.getClass().getName(), e);
      }
    }
  }
}
