package dev.keygate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.ApiKeyStore;
import dev.keygate.jdbc.JdbcApiKeyStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** The contract on H2: the JDBC store on the application's DataSource, its schema by Flyway. */
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:keygate-boot;DB_CLOSE_DELAY=-1"})
class H2SpringBootTest extends SpringBootContract {
  @Autowired
  ApiKeyStore store;

  @Test
  void theStoreIsJdbcOnTheApplicationsDataSource() {
    assertThat(store).isInstanceOf(JdbcApiKeyStore.class);
  }
}
