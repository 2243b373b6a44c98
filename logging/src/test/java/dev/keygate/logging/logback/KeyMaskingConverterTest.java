package dev.keygate.logging.logback;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.keygate.logging.TestKey;
import org.junit.jupiter.api.Test;

/** The converters on their own, on events made by hand. */
class KeyMaskingConverterTest {
  private final Logger logger = new LoggerContext().getLogger("app");
  private final TestKey key = TestKey.generate("kg_live");
  private final TestKey other = TestKey.generate("avala_sk");

  private LoggingEvent event(String message, Object... args) {
    return new LoggingEvent(Logger.class.getName(), logger, Level.DEBUG, message, null, args.length == 0 ? null : args);
  }

  private static KeyMaskingConverter started() {
    KeyMaskingConverter converter = new KeyMaskingConverter();
    converter.start();
    return converter;
  }

  @Test
  void cleanMessageIsReturnedAsTheSameString() {
    LoggingEvent plain = event("GET /things took 3 ms");
    LoggingEvent parameterized = event("GET {} took {} ms", "/things", 3);

    assertThat(started().convert(plain)).isSameAs(plain.getFormattedMessage());
    assertThat(started().convert(parameterized)).isSameAs(parameterized.getFormattedMessage())
        .isEqualTo("GET /things took 3 ms");
  }

  @Test
  void keyInAParameterIsMaskedToItsHint() {
    assertThat(started().convert(event("key {}", key.plaintext()))).isEqualTo("key " + key.hint());
  }

  @Test
  void keyInTheMessageItselfIsMasked() {
    assertThat(started().convert(event("X-API-Key: " + key.plaintext() + "; done")))
        .isEqualTo("X-API-Key: " + key.hint() + "; done");
  }

  @Test
  void twoKeysOfDifferentPrefixesAreBothMasked() {
    String out = started().convert(event("first={} second={}", key.plaintext(), other.plaintext()));

    assertThat(out).isEqualTo("first=" + key.hint() + " second=" + other.hint());
  }

  @Test
  void lookAlikeWithABadChecksumIsMaskedToo() {
    // one character changed: not a valid key any more, but it still gives most of the secret away
    String typo = key.plaintext().substring(0, key.plaintext().length() - 1)
        + (key.plaintext().endsWith("A") ? "B" : "A");

    assertThat(started().convert(event("key {}", typo))).isEqualTo("key " + key.hint());
  }

  @Test
  void throwableConvertersMaskKeysInMessagesOfCausesAndSuppressed() {
    IllegalStateException thrown = new IllegalStateException("rejected " + key.plaintext(),
        new IllegalArgumentException("bad key " + other.plaintext()));
    thrown.addSuppressed(new RuntimeException("also " + key.plaintext()));
    LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.ERROR, "failed", thrown, null);
    KeyMaskingThrowableConverter plain = new KeyMaskingThrowableConverter();
    plain.start();
    KeyMaskingExtendedThrowableConverter extended = new KeyMaskingExtendedThrowableConverter();
    extended.start();

    for (String trace : new String[] {plain.convert(event), extended.convert(event)}) {
      assertThat(trace)
          .contains("java.lang.IllegalStateException: rejected " + key.hint())
          .contains("Caused by: java.lang.IllegalArgumentException: bad key " + other.hint())
          .contains("Suppressed: java.lang.RuntimeException: also " + key.hint())
          .contains("at dev.keygate.logging.logback.KeyMaskingConverterTest")
          .doesNotContain(key.secret()).doesNotContain(other.secret());
    }
  }

  @Test
  void throwableConverterWritesNothingWithoutAThrowable() {
    KeyMaskingThrowableConverter converter = new KeyMaskingThrowableConverter();
    converter.start();

    assertThat(converter.convert(event("no exception"))).isEmpty();
  }

  @Test
  void compositeConverterMasksWhatItWasGiven() {
    KeyMaskingCompositeConverter converter = new KeyMaskingCompositeConverter();
    String clean = "nothing here";

    assertThat(converter.transform(event("x"), clean)).isSameAs(clean);
    assertThat(converter.transform(event("x"), "client=" + key.plaintext())).isEqualTo("client=" + key.hint());
  }
}
