package dev.keygate.sample;

import dev.keygate.KeygatePrincipal;
import dev.keygate.StoreUnavailableException;
import jakarta.ws.rs.core.SecurityContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** The sample's tenants: organizations, by unique name (case-insensitive). Keys belong to one by name. */
final class Organizations {
  static final String NO_ORGANIZATION = "This credential belongs to no organization.";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");

  private final DataSource dataSource;

  Organizations(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  void createTableIfMissing() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS sample_organizations ("
          + "name_key VARCHAR(64) PRIMARY KEY, name VARCHAR(64) NOT NULL, created_at TIMESTAMP NOT NULL)");
    } catch (SQLException e) {
      throw new StoreUnavailableException("could not create the organizations table", e);
    }
  }

  /**
   * The organization of the authenticated caller, for routes that act within one.
   *
   * @throws Problem.Refusal 403 when the credential belongs to no organization (a JWT without
   *     {@code org})
   */
  static String ofCaller(SecurityContext security) {
    if (security.getUserPrincipal() instanceof KeygatePrincipal p && p.owner() != null) {
      return p.owner();
    }
    throw Problem.forbidden(NO_ORGANIZATION);
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
    String sql = "INSERT INTO sample_organizations (name_key, name, created_at) VALUES (?, ?, ?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, name.toLowerCase(Locale.ROOT));
      ps.setString(2, name);
      ps.setTimestamp(3, Timestamp.from(now));
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
        return false; // integrity constraint: the name is taken
      }
      throw new StoreUnavailableException("could not create an organization", e);
    }
  }
}
