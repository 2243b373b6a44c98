package dev.keygate.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders that tests and benchmarks make under {@code target/} and remove after them. */
public final class Trees {
  private Trees() {}

  /**
   * Deletes a folder and everything in it; nothing when it does not exist.
   *
   * @param dir the folder
   * @throws IOException if a file cannot be deleted
   */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
