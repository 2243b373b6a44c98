package dev.keygate.logging.logback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.logging.TestKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The README's Logback configurations, loaded by Logback itself (conversion rules with the
 * {@code class} attribute, no warning), logging through SLF4J as an application does.
 */
class LogbackConfigurationTest {
  private final Logger log = LoggerFactory.getLogger("app");
  private final TestKey key = TestKey.generate("kg_live");
  private final TestKey other = TestKey.generate("kg_test");

  @AfterEach
  void restore() throws Exception {
    MDC.clear();
    LogbackConfig.restore();
  }

  @Test
  void withoutTheRulesTheKeyIsWrittenWhole() throws Exception {
    MemoryAppender memory = LogbackConfig.load("/logback-plain.xml");

    log.debug("key {}", key.plaintext());

    assertThat(memory.text()).contains(key.plaintext());
  }

  @Test
  void parameterizedMessageIsMaskedByTheMsgRule() throws Exception {
    MemoryAppender memory = LogbackConfig.load("/logback-masked.xml");

    log.debug("key {} and {}", key.plaintext(), other.plaintext());
    log.info("nothing secret");

    assertThat(memory.text())
        .contains("DEBUG [" + Thread.currentThread().getName() + "] app - key " + key.hint() + " and " + other.hint())
        .contains("INFO  [" + Thread.currentThread().getName() + "] app - nothing secret")
        .doesNotContain(key.secret()).doesNotContain(other.secret());
  }

  @Test
  void keyInAnExceptionMessageIsMaskedByTheExRule() throws Exception {
    MemoryAppender memory = LogbackConfig.load("/logback-masked.xml");

    log.error("request failed", new IllegalArgumentException("not accepted: " + key.plaintext(),
        new IllegalStateException("cause: " + other.plaintext())));

    assertThat(memory.text())
        .contains("java.lang.IllegalArgumentException: not accepted: " + key.hint())
        .contains("Caused by: java.lang.IllegalStateException: cause: " + other.hint())
        .doesNotContain(key.secret()).doesNotContain(other.secret());
  }

  @Test
  void extendedThrowableRuleMasksToo() throws Exception {
    MemoryAppender memory = LogbackConfig.load("/logback-extended.xml");

    log.error("request failed", new IllegalArgumentException("not accepted: " + key.plaintext()));

    assertThat(memory.text())
        .contains("java.lang.IllegalArgumentException: not accepted: " + key.hint())
        .doesNotContain(key.secret());
  }

  @Test
  void maskAroundThePatternMasksMdcAndStackTraceAndAddsNoSecondTrace() throws Exception {
    MemoryAppender memory = LogbackConfig.load("/logback-composite.xml");

    MDC.put("client", key.plaintext());
    log.error("request failed", new IllegalArgumentException("not accepted: " + other.plaintext()));

    String text = memory.text();
    assertThat(text)
        .contains("app - request failed client=" + key.hint())
        .contains("java.lang.IllegalArgumentException: not accepted: " + other.hint())
        .doesNotContain(key.secret()).doesNotContain(other.secret());
    // the %ex inside %mask(...) counts: Logback appended no unmasked trace of its own
    assertThat(text.split("IllegalArgumentException", -1)).hasSize(2);
  }

  @Test
  void patternWithoutAThrowableWordGetsLogbacksOwnUnmaskedTrace() throws Exception {
    // the limit the README states, kept true by this test: end such a pattern with %ex
    MemoryAppender memory = LogbackConfig.load("/logback-no-ex-word.xml");

    log.error("request failed", new IllegalArgumentException("not accepted: " + key.plaintext()));

    assertThat(memory.text()).contains("app - request failed").contains(key.plaintext());
  }
}
