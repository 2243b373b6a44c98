package dev.keygate.logging.log4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.logging.TestKey;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** {@code %mask{...}} in a pattern layout, the converter found as a plugin by its key. */
class Log4jKeyMaskingPatternConverterTest {
  private final DefaultConfiguration config = new DefaultConfiguration();
  private final TestKey key = TestKey.generate("kg_live");
  private final TestKey other = TestKey.generate("kg_test");

  private String format(String pattern, LogEvent event) {
    return PatternLayout.newBuilder().withConfiguration(config).withPattern(pattern).build().toSerializable(event);
  }

  private static LogEvent event(String message, Object... args) {
    return Log4jLogEvent.newBuilder().setLoggerName("app").setLevel(Level.DEBUG)
        .setMessage(new ParameterizedMessage(message, args)).build();
  }

  @Test
  void cleanLineIsWrittenUnchanged() {
    assertThat(format("%p %c - %mask{%m}", event("GET {} took {} ms", "/things", 3)))
        .isEqualTo("DEBUG app - GET /things took 3 ms");
  }

  @Test
  void keysInTheMessageAreMasked() {
    assertThat(format("%p %c - %mask{%m}", event("first {} second {}", key.plaintext(), other.plaintext())))
        .isEqualTo("DEBUG app - first " + key.hint() + " second " + other.hint());
  }

  @Test
  void onlyWhatIsInsideIsMasked() {
    // the message outside %mask is written as it is: the converter masks its own part only
    assertThat(format("%m | %mask{%m}", event("key {}", key.plaintext())))
        .isEqualTo("key " + key.plaintext() + " | key " + key.hint());
  }

  @Test
  void keysInExceptionMessagesAreMaskedAndNoSecondTraceIsAppended() {
    LogEvent event = Log4jLogEvent.newBuilder().setLoggerName("app").setLevel(Level.ERROR)
        .setMessage(new SimpleMessage("failed"))
        .setThrown(new IllegalArgumentException("not accepted: " + key.plaintext(),
            new IllegalStateException("cause: " + other.plaintext())))
        .build();

    String line = format("%m%n%mask{%ex}", event);

    assertThat(line)
        .contains("java.lang.IllegalArgumentException: not accepted: " + key.hint())
        .contains("Caused by: java.lang.IllegalStateException: cause: " + other.hint())
        .contains("at dev.keygate.logging.log4j.Log4jKeyMaskingPatternConverterTest")
        .doesNotContain(key.secret()).doesNotContain(other.secret());
    assertThat(line.split("IllegalArgumentException", -1)).hasSize(2);
  }

  @Test
  void readmePatternMasksMessageMdcAndStackTrace() throws Exception {
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("README.md"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<PatternLayout pattern=\"(%mask\\{[^\"]*)\"/>").matcher(readme);
    assertThat(m.find()).as("the README's whole-line %mask pattern").isTrue();
    LogEvent event = Log4jLogEvent.newBuilder().setLoggerName("app").setLevel(Level.ERROR)
        .setMessage(new ParameterizedMessage("key {}", key.plaintext()))
        .setContextData(new org.apache.logging.log4j.util.SortedArrayStringMap(java.util.Map.of("client", other.plaintext())))
        .setThrown(new IllegalArgumentException("not accepted: " + key.plaintext()))
        .build();

    String line = format(m.group(1), event);

    assertThat(line).contains("app - key " + key.hint()).contains("client=" + other.hint())
        .contains("java.lang.IllegalArgumentException: not accepted: " + key.hint())
        .doesNotContain(key.secret()).doesNotContain(other.secret());
  }

  @Test
  void maskNeedsExactlyOnePattern() {
    assertThat(KeyMaskingPatternConverter.newInstance(config, new String[0])).isNull();
    assertThat(KeyMaskingPatternConverter.newInstance(config, new String[] {"%m", "%m"})).isNull();
    assertThat(KeyMaskingPatternConverter.newInstance(config, new String[] {"%m"}).handlesThrowable()).isFalse();
    assertThat(KeyMaskingPatternConverter.newInstance(config, new String[] {"%m%ex"}).handlesThrowable()).isTrue();
  }
}
