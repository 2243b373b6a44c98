package dev.keygate.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the schema scripts shipped under {@code dev/keygate/jdbc/schema/}. */
final class SchemaScript {
  private SchemaScript() {}

  /**
   * The statements of a dialect's schema script with {@code keygate_} replaced by {@code prefix}.
   * Comments in the scripts are whole lines starting with {@code --}.
   */
  static List<String> statements(SqlDialect dialect, String prefix) {
    String text;
    try (InputStream in = SchemaScript.class.getClassLoader()
        .getResourceAsStream(dialect.schemaResource())) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + dialect.schemaResource());
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + dialect.schemaResource(), e);
    }
    StringBuilder code = new StringBuilder(text.length());
    for (String line : text.split("\n")) {
      if (!line.strip().startsWith("--")) {
        code.append(line).append('\n');
      }
    }
    List<String> out = new ArrayList<>();
    for (String sql : code.toString().replace(JdbcApiKeyStore.DEFAULT_TABLE_PREFIX, prefix).split(";")) {
      if (!sql.isBlank()) {
        out.add(sql.strip());
      }
    }
    return out;
  }
}
