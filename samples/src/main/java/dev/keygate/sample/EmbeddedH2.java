package dev.keygate.sample;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The sample's default store: an H2 file database in the data directory, set up so that a write
 * it acknowledges is in the file, and checked before it is opened.
 *
 * <p>{@code WRITE_DELAY=0}: H2 otherwise commits to memory and writes the file from a background
 * thread up to 500 ms later, so a commit that the disk cannot take is acknowledged and then lost
 * (measured on a full disk: 80 of 80 acknowledged writes gone after a {@code kill -9}, and 69 to 317
 * lost by a {@code kill -9} under load with space to spare). With it every commit writes the file
 * before it returns, and a failed write is the caller's exception. H2 does not {@code fsync}: a
 * commit survives the process dying, not the machine losing power.
 *
 * <p>{@code DB_CLOSE_ON_EXIT=FALSE}: the last usage flush runs from the sample's shutdown hook,
 * after which the pool closes the database; H2's own hook would close it first.
 */
final class EmbeddedH2 {
  /** The file name H2 gives the database, inside the data directory. */
  static final String FILE = "keygate.mv.db";
  private static final String PROBE = ".keygate-write-check-";
  /** A probe of 64 KiB: a disk that cannot take this cannot take one of H2's chunks either. */
  private static final int PROBE_BYTES = 64 * 1024;

  private EmbeddedH2() {}

  /** The JDBC URL of the database in {@code dataDir}. */
  static String url(Path dataDir) {
    return "jdbc:h2:file:" + dataDir.resolve("keygate") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
  }

  /**
   * A pool on the database ({@code hikari} holds the pool settings), which discards its connections
   * once H2 has closed the database after a failed write (see {@link EvictBrokenH2Connections}),
   * and opens new ones only while the data directory takes a write (see {@link GuardedH2DataSource}).
   *
   * @throws RuntimeException HikariCP's {@code PoolInitializationException} when the first
   *     connection fails
   */
  static HikariDataSource pool(HikariConfig hikari, Path dataDir) {
    hikari.setDataSource(new GuardedH2DataSource(dataDir, url(dataDir)));
    EvictBrokenH2Connections evict = new EvictBrokenH2Connections();
    hikari.setExceptionOverride(evict);
    HikariDataSource pool = new HikariDataSource(hikari);
    evict.evictFrom(pool::getHikariPoolMXBean);
    return pool;
  }

  /**
   * Makes sure the data directory exists and takes a write, before H2 opens it: H2 opens an
   * existing database on a read-only disk read-only without a word (its writes fail later, one
   * by one) and names only its own error for a new one.
   *
   * @throws StartFailure naming the directory (or file) and what the operating system said
   */
  static void preflight(Path dataDir) {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new StartFailure("cannot create the data directory " + dataDir + ": " + reason(e));
    }
    try {
      probe(dataDir);
    } catch (IOException e) {
      throw new StartFailure("cannot write to the data directory " + dataDir + ": " + reason(e));
    }
    Path file = dataDir.resolve(FILE);
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw new StartFailure("the database file " + file + " is not writable");
    }
  }

  /**
   * Writes {@value #PROBE_BYTES} bytes to a file in {@code dataDir}, forces them to the disk and
   * deletes the file.
   *
   * @throws IOException what the disk said ({@code No space left on device}, {@code Read-only
   *     file system}, ...)
   */
  static void probe(Path dataDir) throws IOException {
    Path probe = Files.createTempFile(dataDir, PROBE, ".tmp"); // a name of its own: probes may run at once
    try {
      try (FileChannel ch = FileChannel.open(probe, StandardOpenOption.WRITE)) {
        ByteBuffer zeros = ByteBuffer.allocate(PROBE_BYTES);
        while (zeros.hasRemaining()) {
          ch.write(zeros);
        }
        ch.force(true);
      }
      Files.delete(probe);
    } catch (IOException e) {
      deleteQuietly(probe);
      throw e;
    }
  }

  /** What the operating system said, without repeating the path the caller names anyway. */
  static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static void deleteQuietly(Path probe) {
    try {
      Files.deleteIfExists(probe);
    } catch (IOException ignored) {
      // deleting frees space even on a full disk; should it fail too, 64 KiB stay behind
    }
  }
}
