package dev.keygate.logging.logback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.logging.JettyServer;
import dev.keygate.logging.TestKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The leak this module exists for: Jetty 12 logs raw request headers (and the request's URI) at
 * DEBUG, through SLF4J to Logback. One real request carries a key in {@code X-API-Key}, one as a
 * Bearer token and one in the query string.
 */
class LogbackJettyMaskingTest {
  private final TestKey header = TestKey.generate("kg_live");
  private final TestKey bearer = TestKey.generate("kg_live");
  private final TestKey query = TestKey.generate("ak_avalon");

  @AfterEach
  void restore() throws Exception {
    LogbackConfig.restore();
  }

  private String logOfOneRequest(String configuration) throws Exception {
    MemoryAppender memory = LogbackConfig.load(configuration);
    try (JettyServer server = JettyServer.start()) {
      assertThat(server.getWithKeys(header, bearer, query)).isEqualTo(200);
    }
    return memory.text();
  }

  @Test
  void withoutMaskingJettysDebugLinesCarryEveryKeyWhole() throws Exception {
    String log = logOfOneRequest("/logback-plain.xml");

    assertThat(log).contains("org.eclipse.jetty.http.HttpParser - parsedHeader(null) header=null, headerString=[X-API-Key], valueString=[" + header.plaintext() + "]");
    assertThat(log).contains("Bearer " + bearer.plaintext());
    assertThat(log).contains("api_key=" + query.plaintext());
  }

  @Test
  void withTheMsgRuleJettysDebugLinesShowOnlyHints() throws Exception {
    String log = logOfOneRequest("/logback-masked.xml");

    assertThat(log).contains("org.eclipse.jetty.http.HttpParser - parsedHeader(null) header=null, headerString=[X-API-Key], valueString=[" + header.hint() + "]");
    assertThat(log).contains("Bearer " + bearer.hint());
    assertThat(log).contains("api_key=" + query.hint());
    for (TestKey key : new TestKey[] {header, bearer, query}) {
      assertThat(log).doesNotContain(key.secret());
    }
  }

  @Test
  void withMaskAroundThePatternJettysDebugLinesShowOnlyHints() throws Exception {
    String log = logOfOneRequest("/logback-composite.xml");

    assertThat(log).contains("headerString=[X-API-Key], valueString=[" + header.hint() + "]");
    for (TestKey key : new TestKey[] {header, bearer, query}) {
      assertThat(log).doesNotContain(key.secret());
    }
  }

  @Test
  void jsonEncoderBehindKeyMaskingAppenderShowsOnlyHints() throws Exception {
    String log = logOfOneRequest("/logback-json.xml");

    // JsonEncoder writes the template and its arguments, not the formatted message
    assertThat(log).contains("\"message\":\"parsedHeader({}) header={}, headerString=[{}], valueString=[{}]\","
        + "\"arguments\": [\"null\",\"null\",\"X-API-Key\",\"" + header.hint() + "\"]");
    assertThat(log).contains("api_key=" + query.hint());
    for (TestKey key : new TestKey[] {header, bearer, query}) {
      assertThat(log).doesNotContain(key.secret());
    }
  }
}
