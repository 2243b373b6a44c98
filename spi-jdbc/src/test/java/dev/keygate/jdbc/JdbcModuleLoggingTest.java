package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.spi.FilterReply;
import dev.keygate.KeyFormat;
import dev.keygate.testkit.NoSecretsInLogsExtension;
import dev.keygate.testkit.SecretScanner;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.LoggerFactory;

/**
 * This module's test logging: the console (the build log) shows warnings only, while the secret
 * scanner still sees every Keygate event at every level, and the extension that fails a test for
 * a leaked secret runs here too (keygate-testkit has it, this module's META-INF/services lists it,
 * and keygate-test-support's junit-platform.properties turns on the auto-detection).
 */
@ExtendWith(JdbcModuleLoggingTest.Context.class)
class JdbcModuleLoggingTest {
  private final LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();

  @Test
  void aKeyLoggedAtTraceByAStoreClassReachesTheSecretScanner() {
    String key = KeyFormat.withPrefix("kg_test").generate().plaintext();
    LoggerFactory.getLogger("dev.keygate.jdbc.ChangeWatcher").trace("leaked {}", key);
    // drained here, so that NoSecretsInLogsExtension does not fail this test for it
    assertThat(SecretScanner.drain()).singleElement().asString().startsWith("an API key kg_test_");
  }

  @Test
  void theConsoleShowsWarningsButNotAuditLines() {
    Appender<?> console = logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    assertThat(console).as("console appender").isNotNull();
    Logger audit = logback.getLogger("dev.keygate.audit");
    assertThat(decision(console, audit, Level.INFO)).isEqualTo(FilterReply.DENY);
    assertThat(decision(console, audit, Level.WARN)).isNotEqualTo(FilterReply.DENY);
  }

  @Test
  void theSecretLeakExtensionIsRegisteredForEveryTest(ExtensionContext context) {
    assertThat(context.getConfigurationParameter("junit.jupiter.extensions.autodetection.enabled"))
        .contains("true");
    assertThat(ServiceLoader.load(Extension.class))
        .anyMatch(NoSecretsInLogsExtension.class::isInstance);
  }

  @SuppressWarnings("unchecked")
  private static FilterReply decision(Appender<?> appender, Logger logger, Level level) {
    LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, level, "key created", null, null);
    return ((Appender<LoggingEvent>) appender).getFilterChainDecision(event);
  }

  /** Hands the test its {@link ExtensionContext}, to read JUnit's configuration. */
  static final class Context implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
      return p.getParameter().getType() == ExtensionContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
      return e;
    }
  }
}
