package dev.keygate.logging.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** An appender whose encoder writes to memory: what a file or the console would have received. */
public class MemoryAppender extends OutputStreamAppender<ILoggingEvent> {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @Override
  public void start() {
    setOutputStream(out);
    super.start();
  }

  /** Everything written so far (the test configurations encode in UTF-8). */
  public String text() {
    return out.toString(StandardCharsets.UTF_8);
  }
}
