package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.KeyQuery;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.postgresql.ds.PGSimpleDataSource;

/** A store whose database cannot be reached fails every call as "unavailable", and only so. */
class UnreachableDatabaseTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void everyCallIsStoreUnavailableAndSubscribingStillWorks() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nobody listens there
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(Databases.postgresUrl(port));
    ds.setUser("postgres");
    ds.setConnectTimeout(2);
    ApiKey k = ApiKey.builder().id("k00000000001").name("n").hint("kg_k00000…")
        .secretHash("$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA").createdAt(T0).build();
    for (SqlDialect dialect : new SqlDialect[] {null, SqlDialect.POSTGRESQL}) {
      JdbcApiKeyStore.Builder b = JdbcApiKeyStore.builder().dataSource(ds);
      if (dialect != null) {
        b.dialect(dialect);
      }
      try (JdbcApiKeyStore store = b.build()) {
        ApiKeyStore.Subscription sub = store.subscribe(id -> {});
        assertUnavailable(() -> store.create(k));
        assertUnavailable(() -> store.findById(k.id()));
        assertUnavailable(() -> store.update(k));
        assertUnavailable(() -> store.delete(k.id()));
        assertUnavailable(() -> store.list(KeyQuery.all(T0)));
        assertUnavailable(() -> store.recordUsage(List.of(new UsageRecord(k.id(), 1, T0))));
        store.recordUsage(List.of()); // nothing to write: no call to the database
        assertUnavailable(store::createSchemaIfMissing);
        sub.close();
      }
    }
  }

  private static void assertUnavailable(Executable call) {
    assertThatThrownBy(call::execute)
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageMatching("key store \\w+ failed: SQLState 08001, error 0, PSQLException");
  }
}
