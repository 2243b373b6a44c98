package dev.keygate.logging.log4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.logging.JettyServer;
import dev.keygate.logging.TestKey;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Jetty 12's DEBUG lines through SLF4J to Log4j 2 (log4j-slf4j2-impl, Logback left off this
 * execution's class path), with the configurations the README gives, read back from the files the
 * appenders wrote.
 */
class Log4jJettyMaskingTest {
  private static final Path LOG_DIR = Path.of(System.getProperty("keygate.test.dir", "target"));

  private final TestKey header = TestKey.generate("kg_live");
  private final TestKey bearer = TestKey.generate("kg_live");
  private final TestKey query = TestKey.generate("ak_avalon");
  private final List<StatusData> problems = Collections.synchronizedList(new ArrayList<>());
  private final StatusListener listener = new StatusListener() {
    @Override
    public void log(StatusData data) {
      problems.add(data);
    }

    @Override
    public org.apache.logging.log4j.Level getStatusLevel() {
      return org.apache.logging.log4j.Level.WARN;
    }

    @Override
    public void close() {}
  };

  @AfterEach
  void restore() {
    StatusLogger.getLogger().removeListener(listener);
    context().setConfigLocation(uri("/log4j2-test.xml"));
  }

  private static LoggerContext context() {
    return (LoggerContext) LogManager.getContext(false);
  }

  private static java.net.URI uri(String resource) {
    try {
      URL url = Log4jJettyMaskingTest.class.getResource(resource);
      assertThat(url).as(resource).isNotNull();
      return url.toURI();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Loads {@code configuration} and checks Log4j reported no warning or error reading it. */
  private void load(String configuration) {
    StatusLogger.getLogger().registerListener(listener);
    context().setConfigLocation(uri(configuration));
    assertThat(problems).as("Log4j status while loading " + configuration).isEmpty();
  }

  private String logOfOneRequest(String configuration, String file) throws Exception {
    load(configuration);
    assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).startsWith("org.apache.logging.slf4j");
    try (JettyServer server = JettyServer.start()) {
      assertThat(server.getWithKeys(header, bearer, query)).isEqualTo(200);
    }
    Logger app = LogManager.getLogger("app");
    app.debug("key {}", header.plaintext());
    app.error("failed", new IllegalArgumentException("not accepted: " + query.plaintext()));
    return Files.readString(LOG_DIR.resolve(file), StandardCharsets.UTF_8);
  }

  @Test
  void withoutMaskingJettysDebugLinesCarryEveryKeyWhole() throws Exception {
    String log = logOfOneRequest("/log4j2-plain.xml", "log4j-plain.log");

    assertThat(log).contains("org.eclipse.jetty.http.HttpParser - parsedHeader(null) header=null, headerString=[X-API-Key], valueString=[" + header.plaintext() + "]");
    assertThat(log).contains("Bearer " + bearer.plaintext());
    assertThat(log).contains("api_key=" + query.plaintext());
    assertThat(log).contains("not accepted: " + query.plaintext());
  }

  @Test
  void rewritePolicyMasksJettysDebugLinesAndMaskMasksTheStackTrace() throws Exception {
    String log = logOfOneRequest("/log4j2-rewrite.xml", "log4j-rewrite.log");

    assertThat(log).contains("org.eclipse.jetty.http.HttpParser - parsedHeader(null) header=null, headerString=[X-API-Key], valueString=[" + header.hint() + "]");
    assertThat(log).contains("Bearer " + bearer.hint());
    assertThat(log).contains("api_key=" + query.hint());
    assertThat(log).contains("app - key " + header.hint());
    assertThat(log).contains("java.lang.IllegalArgumentException: not accepted: " + query.hint());
    for (TestKey key : new TestKey[] {header, bearer, query}) {
      assertThat(log).doesNotContain(key.secret());
    }
  }

  @Test
  void maskAroundTheWholePatternMasksEverything() throws Exception {
    String log = logOfOneRequest("/log4j2-pattern.xml", "log4j-pattern.log");

    assertThat(log).contains("org.eclipse.jetty.http.HttpParser - parsedHeader(null) header=null, headerString=[X-API-Key], valueString=[" + header.hint() + "]");
    assertThat(log).contains("java.lang.IllegalArgumentException: not accepted: " + query.hint());
    for (TestKey key : new TestKey[] {header, bearer, query}) {
      assertThat(log).doesNotContain(key.secret());
    }
  }

  @Test
  void pluginsAreListedInTheModulesLog4j2PluginsDat() throws Exception {
    boolean listed = false;
    for (URL url : Collections.list(getClass().getClassLoader()
        .getResources("META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat"))) {
      try (InputStream in = url.openStream()) {
        String dat = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        listed |= dat.contains(KeyMaskingRewritePolicy.class.getName()) && dat.contains(KeyMaskingPatternConverter.class.getName());
      }
    }
    assertThat(listed).as("a Log4j2Plugins.dat naming both plugins").isTrue();
  }
}
