package dev.keygate.jaxrs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads one variable from a {@code .env} file: {@code NAME=value} lines; blank lines and lines
 * starting with {@code #} are skipped; an {@code export } prefix, spaces around the name and the
 * value, and matching single or double quotes around the value are dropped; after an unquoted
 * value, {@code " #"} starts a comment. A later line for the same name wins, as when the shell
 * sources the file.
 */
final class DotEnvFile {
  private DotEnvFile() {}

  /** The value of {@code name} in {@code lines}, or null when no line sets it. */
  static @Nullable String value(List<String> lines, String name) {
    String found = null;
    for (String raw : lines) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).strip().equals(name)) {
        found = unquote(line.substring(eq + 1).strip());
      }
    }
    return found;
  }

  /**
   * The value of {@code name} in the file, or null when the file has no such line.
   *
   * @throws IOException if the file exists but cannot be read
   */
  static @Nullable String value(Path file, String name) throws IOException {
    return Files.isRegularFile(file) ? value(Files.readAllLines(file, StandardCharsets.UTF_8), name) : null;
  }

  private static String unquote(String value) {
    if (value.length() >= 2) {
      char q = value.charAt(0);
      if ((q == '"' || q == '\'') && value.charAt(value.length() - 1) == q) {
        return value.substring(1, value.length() - 1);
      }
    }
    int comment = value.indexOf(" #");
    return comment >= 0 ? value.substring(0, comment).strip() : value;
  }
}
