package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.ApiKeyStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Usage counted in memory reaches a file H2 database when the JVM exits, with the URL and the
 * shutdown order the README documents. Each run is a real JVM exit ({@link H2ShutdownApp} in a
 * process of its own), so H2's own exit hook, when the URL leaves it on, races the application's.
 * Without {@code DB_CLOSE_ON_EXIT=FALSE} a run loses its counts whenever H2's hook closes the
 * database first (SQLState 90121; the first such run tried here lost all 500); the second test
 * forces that order and reads the warning.
 */
class H2FileShutdownTest {
  private static final int USES = 500;

  @Test
  void usageCountedBeforeTheJvmExitsIsInTheDatabaseAfterwards() throws Exception {
    // with the setting, H2 has no exit hook of its own: the order below is the only one
    Path dir = Databases.newFolder("h2-exit");
    String url = "jdbc:h2:file:" + dir.resolve("keygate") + ";DB_CLOSE_ON_EXIT=FALSE";
    String out = runApp(url, "any-order");
    assertThat(out).doesNotContain("usage flush failed");
    assertThat(usageCount(url, keyId(out))).isEqualTo(USES);
  }

  @Test
  void withoutTheSettingH2ClosesFirstAndTheWarningSaysTheCountsAreLostAndWhy() throws Exception {
    Path dir = Databases.newFolder("h2-exit");
    String url = "jdbc:h2:file:" + dir.resolve("keygate");
    String out = runApp(url, "h2-first");
    assertThat(out).contains("final usage flush failed; the usage counts not yet written are only"
            + " in memory and are lost when this process exits")
        .contains("SQLState 90121")
        .contains("add ;DB_CLOSE_ON_EXIT=FALSE to its URL");
    assertThat(usageCount(url, keyId(out))).isZero();
  }

  /** Runs {@link H2ShutdownApp} in a new JVM until it exits; what it printed. */
  private static String runApp(String url, String order) throws IOException, InterruptedException {
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        H2ShutdownApp.class.getName(), url, Integer.toString(USES), order);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).as("the application exited").isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static String keyId(String out) {
    return out.lines().filter(l -> l.startsWith("key id: ")).findFirst()
        .orElseThrow(() -> new AssertionError("no key id in: " + out))
        .substring("key id: ".length()).trim();
  }

  /** The usage count the database holds for {@code keyId}, read after the application exited. */
  static long usageCount(String url, String keyId) throws Exception {
    try (JdbcApiKeyStore store = JdbcApiKeyStore.builder()
        .dataSource(H2StoreTest.openH2(url)).build()) {
      ApiKeyStore s = store;
      return s.findById(keyId).orElseThrow().usageCount();
    }
  }
}
