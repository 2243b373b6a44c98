package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.jdbc.JdbcApiKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A start whose database cannot be opened or written fails at once, exit code 1, with one line on
 * stderr that names the place and what the disk said, on a real read-only and a real full disk.
 * Needs root; see {@link ScratchDisk}.
 */
class StartFailureTest {
  private ScratchDisk disk;
  private ChildSample node;

  enum Disk {
    READ_ONLY_NEW_DATA_DIR(false, true, "cannot create the data directory", "Read-only file system"),
    READ_ONLY_EXISTING_DATABASE(true, true, "cannot write to the data directory", "Read-only file system"),
    FULL_EXISTING_DATABASE(true, false, "cannot write to the data directory", "No space left on device"),
    FULL_NEW_DATA_DIR(false, false, "cannot write to the data directory", "No space left on device");

    final boolean existingDatabase;
    final boolean readOnly;
    final String what;
    final String why;

    Disk(boolean existingDatabase, boolean readOnly, String what, String why) {
      this.existingDatabase = existingDatabase;
      this.readOnly = readOnly;
      this.what = what;
      this.why = why;
    }
  }

  @BeforeEach
  void mount() throws Exception {
    disk = ScratchDisk.mount("16m");
  }

  @AfterEach
  void unmount() throws Exception {
    if (node != null) {
      node.close();
    }
    if (disk != null) {
      disk.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Disk.class)
  void aStartThatCannotWriteItsDatabaseFailsAtOnceWithTheCauseInOneLine(Disk broken) throws Exception {
    Path data = disk.root().resolve("data");
    if (broken.existingDatabase) {
      Files.createDirectories(data);
      try (HikariDataSource pool = EmbeddedH2.pool(new HikariConfig(), data)) {
        JdbcApiKeyStore.builder().dataSource(pool).build().createSchemaIfMissing();
      }
      assertThat(data.resolve(EmbeddedH2.FILE)).exists();
    }
    if (broken.readOnly) {
      disk.remountReadOnly();
    } else {
      disk.fill();
    }

    node = ChildSample.launch(data);
    assertThat(node.awaitExit(Duration.ofSeconds(60))).as("exit code").isEqualTo(1);
    List<String> stderr = node.stderr();
    assertThat(stderr).filteredOn(l -> l.startsWith("keygate-sample: ")).as(String.join("\n", stderr))
        .singleElement().asString()
        .isEqualTo("keygate-sample: cannot start: " + broken.what + " " + data + ": " + broken.why);
    assertThat(stderr).as("no stack trace").noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception in thread"));
    if (broken.readOnly && !broken.existingDatabase) {
      assertThat(Files.exists(data)).isFalse();
    }
  }
}
