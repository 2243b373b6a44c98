package dev.keygate.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line (all levels, with stack traces) while open, so a test can assert that no
 * secret was logged. Use with try-with-resources.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Level previous;

  /** Starts capturing at TRACE. */
  public LogCapture() {
    previous = root.getLevel();
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.TRACE);
  }

  /** Every captured line: the formatted message, then any stack trace with its messages. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(appender.list)) {
      StringBuilder sb = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
      IThrowableProxy t = e.getThrowableProxy();
      if (t != null) {
        sb.append('\n').append(ThrowableProxyUtil.asString(t));
      }
      out.add(sb.toString());
    }
    return out;
  }

  /** Every captured message with its level and logger first ({@code WARN dev.keygate.audit ...}), no stack traces. */
  public List<String> levelledLines() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(appender.list)) {
      out.add(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
    }
    return out;
  }

  /** Everything captured, as one text. */
  public String text() {
    return String.join("\n", lines());
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    root.setLevel(previous);
  }
}
