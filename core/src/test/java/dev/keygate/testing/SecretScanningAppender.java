package dev.keygate.testing;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;

/**
 * A logback appender for tests that hands every event (message, arguments, stack trace) to {@link
 * SecretScanner}. Attach it to the root logger at TRACE in {@code logback-test.xml}.
 */
public final class SecretScanningAppender extends AppenderBase<ILoggingEvent> {
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
