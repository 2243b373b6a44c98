package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** The one line a failed start prints: what failed, where, and the deepest cause in its own words. */
class StartFailureLineTest {
  @Test
  void theLineEndsWithWhatTheDiskSaidAndHasOneLineOnly() {
    SQLException h2 = new SQLException("General error: \"Writing failed\"\nSQL statement:\nCOMMIT", "HY000", 50000,
        new IOException("No space left on device"));
    assertThat(StartFailure.oneLine(new StartFailure("cannot write the database /d/keygate.mv.db", h2)))
        .isEqualTo("cannot write the database /d/keygate.mv.db: No space left on device");
  }

  @Test
  void fileSystemErrorsGiveTheirReasonNotTheirPathTwice() {
    assertThat(StartFailure.oneLine(new StartFailure("cannot open the database /d/keygate.mv.db",
        new FileSystemException("/d/.probe", null, "Read-only file system"))))
        .isEqualTo("cannot open the database /d/keygate.mv.db: Read-only file system");
    assertThat(StartFailure.oneLine(new StartFailure("cannot open the database /d/keygate.mv.db",
        new NoSuchFileException("/d/.probe"))))
        .isEqualTo("cannot open the database /d/keygate.mv.db: no such file or directory");
  }

  @Test
  void aMessageWithoutACauseStandsAlone() {
    assertThat(StartFailure.oneLine(new StartFailure("cannot create the data directory /d: Read-only file system")))
        .isEqualTo("cannot create the data directory /d: Read-only file system");
    assertThat(StartFailure.oneLine(new IllegalStateException("first\nsecond"))).isEqualTo("first");
  }
}
