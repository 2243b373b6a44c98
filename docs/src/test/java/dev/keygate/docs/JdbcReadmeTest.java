package dev.keygate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.docs.jdbc.JdbcSetup;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * spi-jdbc/README.md's setup, run as written (H2 file under {@code ./keygate-data}) in a JVM of its
 * own: the key works, and the shutdown hook's order gets the last usage into the file.
 */
class JdbcReadmeTest {
  @Test
  void setupAuthenticatesAndTheShutdownHookWritesTheUsage() throws Exception {
    Path dir = Path.of(System.getProperty("keygate.test.dir", "target"), "jdbc-readme");
    dev.keygate.testing.Trees.deleteTree(dir);
    Files.createDirectories(dir);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), JdbcSetup.class.getName()));
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).as(out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).containsPattern("authenticated [0-9A-Za-z]{12}");
    String keyId = out.replaceAll("(?s).*authenticated ([0-9A-Za-z]{12}).*", "$1");

    String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("keygate-data/keygate");
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT usage_count FROM keygate_api_keys WHERE id = '" + keyId + "'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).as("the use counted before exit, flushed by the hook").isEqualTo(1);
    }
  }
}
