package dev.keygate.sample.spring;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The sample's tenants: organizations, by unique name (case-insensitive), in the application's
 * database beside Keygate's tables. A key belongs to one by its owner.
 */
@Component
class Organizations {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");

  private final JdbcTemplate jdbc;

  Organizations(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
    jdbc.execute("CREATE TABLE IF NOT EXISTS sample_organizations ("
        + "name_key VARCHAR(64) PRIMARY KEY, name VARCHAR(64) NOT NULL, created_at TIMESTAMP NOT NULL)");
  }

  static boolean isValidName(String name) {
    return NAME.matcher(name).matches();
  }

  /**
   * Creates an organization.
   *
   * @return false when the name is taken
   */
  boolean create(String name, Instant now) {
    try {
      jdbc.update("INSERT INTO sample_organizations (name_key, name, created_at) VALUES (?, ?, ?)",
          name.toLowerCase(Locale.ROOT), name, Timestamp.from(now));
      return true;
    } catch (DataIntegrityViolationException taken) {
      return false;
    }
  }
}
