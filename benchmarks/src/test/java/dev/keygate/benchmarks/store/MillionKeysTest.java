package dev.keygate.benchmarks.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.ApiKey;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationResult;
import dev.keygate.KeyQuery;
import dev.keygate.Keygate;
import dev.keygate.Page;
import dev.keygate.benchmarks.Fixture;
import dev.keygate.jdbc.JdbcApiKeyStore;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The generator at 1,000 keys on H2 in a file: the rows it writes in bulk are rows the store reads
 * back, and the plaintexts it keeps verify through the engine.
 */
class MillionKeysTest {
  @Test
  void bulkLoadedKeysAreReadByTheStoreAndTheirPlaintextsVerify() throws Exception {
    MillionKeys.Spec spec = new MillionKeys.Spec(1_000, 20, 120, 200, 5L);
    try (Databases.Db db = Databases.h2File();
        JdbcApiKeyStore store = JdbcApiKeyStore.builder().dataSource(db.pool()).build()) {
      MillionKeys.Loaded loaded = MillionKeys.load(db, store, spec);

      try (Keygate keygate = Fixture.keygate(store, Fixture.hmacSha256()).build()) {
        AuthenticationEngine engine = keygate.engine();
        for (String plaintext : loaded.samplePlaintexts()) {
          assertThat(engine.authenticate(Fixture.request(plaintext)))
              .isInstanceOf(AuthenticationResult.Authenticated.class);
        }
        // a key of the right id with another secret is refused: the hashes are real
        String id = Fixture.FORMAT.parse(loaded.samplePlaintexts()[0]).id();
        assertThat(engine.authenticate(Fixture.request(Fixture.wrongSecret(id))))
            .isInstanceOf(AuthenticationResult.Refused.class);
      }

      // the deep owner has exactly its keys, and the store reads a page of them
      assertThat(Sql.oneLong(db.pool(), "SELECT COUNT(*) FROM keygate_api_keys WHERE owner = '"
          + MillionKeys.DEEP_OWNER + "'")).isEqualTo(spec.deepOwnerKeys());
      Page<ApiKey> first = store.list(KeyQuery.all(Instant.now()).withOwner(MillionKeys.DEEP_OWNER));
      assertThat(first.items()).hasSize(KeyQuery.DEFAULT_LIMIT)
          .allSatisfy(k -> assertThat(k.owner()).isEqualTo(MillionKeys.DEEP_OWNER));
      ApiKey any = store.findById(loaded.ids()[spec.keys() - 1]).orElseThrow();
      assertThat(any.owner()).startsWith("org-").isNotEqualTo(MillionKeys.DEEP_OWNER);
      assertThat(any.scopes()).hasSizeBetween(1, 3);
      assertThat(any.secretHash()).doesNotContain(loaded.ids()[spec.keys() - 1]);
    }
  }
}
