package dev.keygate.testkit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/**
 * A logback appender for tests that hands every event (formatted message and stack trace) to
 * {@link SecretScanner}. Attach it to the root logger in {@code logback-test.xml}, with the store's
 * loggers at TRACE, so that secrets are caught at levels the console does not show:
 *
 * <pre>{@code
 * <appender name="SECRETS" class="dev.keygate.testkit.SecretScanningAppender"/>
 * <logger name="com.example.store" level="TRACE"/>
 * <root level="INFO"><appender-ref ref="SECRETS"/></root>
 * }</pre>
 *
 * <p>Needs {@code ch.qos.logback:logback-classic} among the test dependencies (the testkit declares
 * it optional, so that a project on another logging backend does not get it).
 */
public final class SecretScanningAppender extends AppenderBase<ILoggingEvent> {
  /** An appender that logback starts from its configuration. */
  public SecretScanningAppender() {}

  /**
   * Scans one event.
   *
   * @param event the logging event
   */
  @Override
  protected void append(ILoggingEvent event) {
    StringBuilder text = new StringBuilder(event.getFormattedMessage() == null ? "" : event.getFormattedMessage());
    IThrowableProxy t = event.getThrowableProxy();
    if (t != null) {
      text.append('\n').append(ThrowableProxyUtil.asString(t));
    }
    SecretScanner.record("a log line of " + event.getLoggerName(), text.toString());
  }
}
