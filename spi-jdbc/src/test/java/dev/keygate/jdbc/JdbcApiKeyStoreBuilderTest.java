package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class JdbcApiKeyStoreBuilderTest {
  @Test
  void tablePrefixMustBeAShortIdentifier() {
    JdbcApiKeyStore.Builder b = JdbcApiKeyStore.builder();
    for (String ok : List.of("kg_", "_", "A", "app1_keys_", "a".repeat(31))) {
      b.tablePrefix(ok);
    }
    for (String bad : List.of("", "1kg_", "kg-", "kg_;DROP TABLE x;--", "kg ", "\"kg\"", "a".repeat(32),
        "ké_")) {
      assertThatThrownBy(() -> b.tablePrefix(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void pollIntervalAndRetentionAreBounded() {
    JdbcApiKeyStore.Builder b = JdbcApiKeyStore.builder();
    b.pollInterval(Duration.ofMillis(10)).pollInterval(Duration.ofHours(1));
    assertThatThrownBy(() -> b.pollInterval(Duration.ofMillis(9))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.pollInterval(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
    b.changeRetention(Duration.ofMinutes(1));
    assertThatThrownBy(() -> b.changeRetention(Duration.ofSeconds(59))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void callTimeoutIsWholeSecondsFromOneSecondToOneHour() {
    JdbcApiKeyStore.Builder b = JdbcApiKeyStore.builder();
    b.callTimeout(Duration.ofSeconds(1)).callTimeout(Duration.ofHours(1));
    for (Duration bad : List.of(Duration.ZERO, Duration.ofMillis(999), Duration.ofMillis(1500),
        Duration.ofSeconds(-1), Duration.ofHours(1).plusSeconds(1))) {
      assertThatThrownBy(() -> b.callTimeout(bad)).as(bad.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("callTimeout must be a whole number of seconds from 1s to 1h, got " + bad);
    }
    assertThat(JdbcApiKeyStore.DEFAULT_CALL_TIMEOUT).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aDataSourceIsRequiredAndNothingIsTouchedAtBuildTime() {
    assertThatNullPointerException().isThrownBy(() -> JdbcApiKeyStore.builder().build());
    JdbcDataSource nowhere = new JdbcDataSource();
    nowhere.setURL("jdbc:h2:mem:never;IFEXISTS=TRUE");
    try (JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(nowhere).build()) {
      assertThat(store.toString()).contains("dialect pending");
    }
  }

  @Test
  void productNamesMapToDialects() {
    assertThat(SqlDialect.forProductName("PostgreSQL")).isEqualTo(SqlDialect.POSTGRESQL);
    assertThat(SqlDialect.forProductName("H2")).isEqualTo(SqlDialect.H2);
    assertThat(SqlDialect.forProductName("MySQL")).isEqualTo(SqlDialect.MYSQL);
    assertThat(SqlDialect.forProductName("MariaDB")).isEqualTo(SqlDialect.MYSQL);
    assertThatThrownBy(() -> SqlDialect.forProductName("Oracle")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void schemaScriptsTakeThePrefixEverywhere() {
    for (SqlDialect d : SqlDialect.values()) {
      List<String> sql = SchemaScript.statements(d, "acme_");
      assertThat(sql).isNotEmpty().allSatisfy(s -> assertThat(s).doesNotContain("keygate_").doesNotContain("--"));
      assertThat(String.join("\n", sql)).contains("acme_api_keys").contains("acme_key_changes");
    }
  }
}
