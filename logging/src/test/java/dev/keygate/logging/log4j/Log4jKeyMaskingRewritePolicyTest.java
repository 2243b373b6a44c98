package dev.keygate.logging.log4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.logging.TestKey;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** The rewrite policy on its own, on events made by hand. */
class Log4jKeyMaskingRewritePolicyTest {
  private final KeyMaskingRewritePolicy policy = KeyMaskingRewritePolicy.createPolicy();
  private final TestKey key = TestKey.generate("kg_live");
  private final TestKey other = TestKey.generate("avl");

  private static LogEvent event(Message message) {
    return Log4jLogEvent.newBuilder().setLoggerName("app").setLevel(Level.DEBUG).setMessage(message)
        .setThreadName("main").setTimeMillis(1_000).build();
  }

  @Test
  void eventWithoutAKeyIsPassedOnItself() {
    LogEvent plain = event(new SimpleMessage("GET /things took 3 ms"));
    LogEvent parameterized = event(new ParameterizedMessage("GET {} took {} ms", "/things", 3));

    assertThat(policy.rewrite(plain)).isSameAs(plain);
    assertThat(policy.rewrite(parameterized)).isSameAs(parameterized);
  }

  @Test
  void keyInAParameterIsMaskedAndTheRestOfTheEventKept() {
    LogEvent source = event(new ParameterizedMessage("key {}", key.plaintext()));

    LogEvent rewritten = policy.rewrite(source);

    assertThat(rewritten.getMessage().getFormattedMessage()).isEqualTo("key " + key.hint());
    assertThat(rewritten.getMessage().getParameters()).isNullOrEmpty();
    assertThat(rewritten.getLoggerName()).isEqualTo("app");
    assertThat(rewritten.getLevel()).isEqualTo(Level.DEBUG);
    assertThat(rewritten.getThreadName()).isEqualTo("main");
    assertThat(rewritten.getTimeMillis()).isEqualTo(1_000);
  }

  @Test
  void twoKeysAreBothMasked() {
    LogEvent source = event(new SimpleMessage("first " + key.plaintext() + ", second " + other.plaintext()));

    assertThat(policy.rewrite(source).getMessage().getFormattedMessage())
        .isEqualTo("first " + key.hint() + ", second " + other.hint());
  }

  @Test
  void thrownIsKeptAsItIs() {
    IllegalStateException thrown = new IllegalStateException("boom");
    LogEvent source = Log4jLogEvent.newBuilder().setLoggerName("app").setLevel(Level.ERROR)
        .setMessage(new SimpleMessage("key " + key.plaintext())).setThrown(thrown).build();

    assertThat(policy.rewrite(source).getThrown()).isSameAs(thrown);
  }

  @Test
  void policyHasOneInstanceAndNamesItself() {
    assertThat(KeyMaskingRewritePolicy.createPolicy()).isSameAs(policy).hasToString("KeygateKeyMasking");
  }
}
