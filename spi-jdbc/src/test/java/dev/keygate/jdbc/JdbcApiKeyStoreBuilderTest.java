package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class JdbcApiKeyStoreBuilderTest {
  @Test
  void tablePrefixMustBeAShortIdentifier() {
    for (String ok : List.of("kg_", "_", "A", "app1_keys_", "a".repeat(31))) {
      JdbcApiKeyStore.builder().tablePrefix(ok);
    }
    JdbcApiKeyStore.Builder b = JdbcApiKeyStore.builder();
    for (String bad : List.of("", "1kg_", "kg-", "kg_;DROP TABLE x;--", "kg ", "\"kg\"", "a".repeat(32),
        "ké_")) {
      assertThatThrownBy(() -> b.tablePrefix(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void pollIntervalAndRetentionAreBounded() {
    JdbcApiKeyStore.builder().pollInterval(Duration.ofMillis(10));
    JdbcApiKeyStore.builder().pollInterval(Duration.ofHours(1));
    JdbcApiKeyStore.Builder b = JdbcApiKeyStore.builder();
    assertThatThrownBy(() -> b.pollInterval(Duration.ofMillis(9))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.pollInterval(Duration.ofHours(2))).isInstanceOf(IllegalArgumentException.class);
    JdbcApiKeyStore.builder().changeRetention(Duration.ofMinutes(1));
    assertThatThrownBy(() -> b.changeRetention(Duration.ofSeconds(59))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void callTimeoutIsWholeSecondsFromOneSecondToOneHour() {
    JdbcApiKeyStore.builder().callTimeout(Duration.ofSeconds(1));
    JdbcApiKeyStore.builder().callTimeout(Duration.ofHours(1));
    JdbcApiKeyStore.Builder b = JdbcApiKeyStore.builder();
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
    assertThatThrownBy(() -> JdbcApiKeyStore.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("dataSource is required");
    JdbcDataSource nowhere = new JdbcDataSource();
    nowhere.setURL("jdbc:h2:mem:never;IFEXISTS=TRUE");
    try (JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(nowhere).build()) {
      assertThat(store.toString()).contains("dialect pending");
    }
  }

  @Test
  void eachSettingIsGivenOnceAndASecondCallNamesItsValue() {
    JdbcApiKeyStore.Builder b = JdbcApiKeyStore.builder().tablePrefix("acme_").pollInterval(Duration.ofSeconds(5))
        .changeRetention(Duration.ofHours(2)).callTimeout(Duration.ofSeconds(3)).notifications(false)
        .dialect(SqlDialect.H2);
    assertThatThrownBy(() -> b.tablePrefix("kg_")).isInstanceOf(IllegalStateException.class)
        .hasMessage("tablePrefix was already set to acme_");
    assertThatThrownBy(() -> b.pollInterval(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
        .hasMessage("pollInterval was already set to PT5S");
    assertThatThrownBy(() -> b.changeRetention(Duration.ofHours(1))).isInstanceOf(IllegalStateException.class)
        .hasMessage("changeRetention was already set to PT2H");
    assertThatThrownBy(() -> b.callTimeout(Duration.ofSeconds(2))).isInstanceOf(IllegalStateException.class)
        .hasMessage("callTimeout was already set to PT3S");
    assertThatThrownBy(() -> b.notifications(true)).isInstanceOf(IllegalStateException.class)
        .hasMessage("notifications was already set to false");
    assertThatThrownBy(() -> b.dialect(SqlDialect.MYSQL)).isInstanceOf(IllegalStateException.class)
        .hasMessage("dialect was already set to H2");
    JdbcDataSource ds = new JdbcDataSource();
    b.dataSource(ds);
    assertThatThrownBy(() -> b.dataSource(new JdbcDataSource())).isInstanceOf(IllegalStateException.class)
        .hasMessage("dataSource was already set to a org.h2.jdbcx.JdbcDataSource");
    assertThatThrownBy(() -> b.clock(java.time.Clock.systemUTC()).clock(java.time.Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("clock was already set to ");
  }

  @Test
  void notificationsAreOnUnlessTurnedOff() {
    try (JdbcApiKeyStore on = JdbcApiKeyStore.builder().dataSource(new JdbcDataSource()).build();
        JdbcApiKeyStore off = JdbcApiKeyStore.builder().dataSource(new JdbcDataSource()).notifications(false).build()) {
      assertThat(on.toString()).endsWith(", notifications=true]");
      assertThat(off.toString()).endsWith(", notifications=false]");
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

  @Test
  void theCallTimeoutGivenIsTheOneTheStoreUses() {
    try (JdbcApiKeyStore s = JdbcApiKeyStore.builder()
        .dataSource(H2StoreTest.openH2("jdbc:h2:mem:timeout")).callTimeout(Duration.ofSeconds(3))
        .build()) {
      assertThat(s.callTimeout()).isEqualTo(Duration.ofSeconds(3));
    }
  }
}
