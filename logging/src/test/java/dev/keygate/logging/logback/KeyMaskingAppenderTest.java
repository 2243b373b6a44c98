package dev.keygate.logging.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.keygate.logging.TestKey;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** {@link KeyMaskingAppender} in front of Logback's JsonEncoder, which uses no conversion words. */
class KeyMaskingAppenderTest {
  private final Logger log = LoggerFactory.getLogger("app");
  private final TestKey key = TestKey.generate("kg_live");
  private final TestKey other = TestKey.generate("kg_test");
  private final TestKey third = TestKey.generate("avl");

  @AfterEach
  void restore() throws Exception {
    MDC.clear();
    LogbackConfig.restore();
  }

  private void logEverywhere() {
    MDC.put("client", key.plaintext());
    log.atInfo().addKeyValue("presented", other.plaintext()).log("checking {}", third.plaintext());
    log.error("rejected " + key.plaintext(), new IllegalArgumentException("bad key " + other.plaintext(),
        new IllegalStateException("cause " + third.plaintext())));
  }

  @Test
  void withoutItJsonEncoderWritesKeysWhole() throws Exception {
    MemoryAppender memory = LogbackConfig.load("/logback-json-plain.xml");

    logEverywhere();

    assertThat(memory.text()).contains(key.secret()).contains(other.secret()).contains(third.secret());
  }

  @Test
  void jsonEncoderBehindItSeesOnlyHints() throws Exception {
    MemoryAppender memory = LogbackConfig.load("/logback-json.xml");

    logEverywhere();

    String json = memory.text();
    assertThat(json)
        .contains("\"client\":\"" + key.hint() + "\"")       // MDC
        .contains("\"presented\":\"" + other.hint() + "\"")  // key-value pair
        .contains("checking {}")                            // the template, untouched
        .contains(third.hint())                             // the argument
        .contains("rejected " + key.hint())                 // a key concatenated into the template
        .contains("bad key " + other.hint())                // the throwable
        .contains("cause " + third.hint())                  // its cause
        .contains("java.lang.IllegalStateException");
    for (TestKey k : new TestKey[] {key, other, third}) {
      assertThat(json).doesNotContain(k.secret());
    }
  }

  @Test
  void eventWithoutAKeyIsPassedOnItself() {
    ch.qos.logback.classic.Logger logger = new LoggerContext().getLogger("app");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "GET {} took {} ms",
        new IllegalStateException("no key here", new RuntimeException("none here either")), new Object[] {"/things", 3});
    event.setMDCPropertyMap(Map.of("client", "203.0.113.7"));

    assertThat(MaskedLoggingEvent.mask(event)).isSameAs(event);
  }

  @Test
  void maskedEventKeepsEverythingElse() {
    ch.qos.logback.classic.Logger logger = new LoggerContext().getLogger("app");
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "key {}",
        null, new Object[] {key.plaintext()});
    event.setThreadName("worker-1");
    event.setMDCPropertyMap(Map.of("request", "42"));

    ILoggingEvent masked = MaskedLoggingEvent.mask(event);

    assertThat(masked).isNotSameAs(event);
    assertThat(masked.getFormattedMessage()).isEqualTo("key " + key.hint());
    assertThat(masked.getArgumentArray()).containsExactly(key.hint());
    assertThat(event.getArgumentArray()).containsExactly(key.plaintext()); // the original is not changed
    assertThat(masked.getMessage()).isEqualTo("key {}");
    assertThat(masked.getLevel()).isEqualTo(Level.WARN);
    assertThat(masked.getLoggerName()).isEqualTo("app");
    assertThat(masked.getThreadName()).isEqualTo("worker-1");
    assertThat(masked.getTimeStamp()).isEqualTo(event.getTimeStamp());
    assertThat(masked.getSequenceNumber()).isEqualTo(event.getSequenceNumber());
    assertThat(masked.getMDCPropertyMap()).isSameAs(event.getMDCPropertyMap());
    assertThat(masked.getThrowableProxy()).isNull();
  }
}
