package dev.keygate.logging.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.Status;
import dev.keygate.logging.TestKey;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The Logback configuration in logging/README.md, copied from the README itself, masks as it says. */
class LogbackReadmeConfigurationTest {
  private final TestKey key = TestKey.generate("kg_live");
  private final TestKey other = TestKey.generate("kg_test");

  private static String readmeBlock(String startsWith) throws Exception {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    Matcher blocks = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL).matcher(readme);
    while (blocks.find()) {
      if (blocks.group(1).startsWith(startsWith)) {
        return blocks.group(1);
      }
    }
    throw new AssertionError("no xml block starting with " + startsWith + " in logging/README.md");
  }

  @Test
  void readmeConfigurationLoadsWithoutWarningAndMasksMessageAndStackTrace() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(new ByteArrayInputStream(readmeBlock("<configuration>").getBytes(StandardCharsets.UTF_8)));
    for (Status status : context.getStatusManager().getCopyOfStatusList()) {
      assertThat(status.getEffectiveLevel()).as(status::toString).isLessThan(Status.WARN);
    }
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("STDOUT");
    PatternLayoutEncoder encoder = (PatternLayoutEncoder) console.getEncoder();

    LoggingEvent event = new LoggingEvent(Logger.class.getName(), root, Level.ERROR, "key {}",
        new IllegalStateException("rejected " + other.plaintext()), new Object[] {key.plaintext()});
    String line = encoder.getLayout().doLayout(event);

    assertThat(line).contains(" - key " + key.hint())
        .contains("java.lang.IllegalStateException: rejected " + other.hint())
        .doesNotContain(key.secret()).doesNotContain(other.secret());
    context.stop();
  }
}
