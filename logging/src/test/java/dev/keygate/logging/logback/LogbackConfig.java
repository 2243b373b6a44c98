package dev.keygate.logging.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import java.net.URL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reconfigures the application's Logback (the one SLF4J, and so Jetty, logs to) from a test resource. */
final class LogbackConfig {
  private LogbackConfig() {}

  /**
   * Loads {@code resource} in place of the current configuration, checks that Logback reported no
   * warning or error while reading it, and returns its appender named {@code MEMORY}
   * (on the root logger, or behind the root's {@code KeyMaskingAppender} named {@code MASKED}).
   */
  static MemoryAppender load(String resource) throws JoranException {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    context.getStatusManager().clear();
    URL url = LogbackConfig.class.getResource(resource);
    assertThat(url).as(resource).isNotNull();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(url);
    for (Status status : context.getStatusManager().getCopyOfStatusList()) {
      assertThat(status.getEffectiveLevel()).as(status::toString).isLessThan(Status.WARN);
    }
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    MemoryAppender memory = (MemoryAppender) (root.getAppender("MASKED") instanceof KeyMaskingAppender masked
        ? masked.getAppender("MEMORY") : root.getAppender("MEMORY"));
    assertThat(memory).as("appender MEMORY in " + resource).isNotNull();
    return memory;
  }

  /** Puts the test suite's own configuration (logback-test.xml) back. */
  static void restore() throws JoranException {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogbackConfig.class.getResource("/logback-test.xml"));
  }
}
