package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.hash.HmacSha256Hasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The builder checks each setting when it is given, and says which. */
class KeyManagementBuilderTest {
  private final Keygate keygate = Keygate.builder().store(new InMemoryApiKeyStore())
      .keyFormat(KeyFormat.withPrefix("kg_test")).hasher(HmacSha256Hasher.withPepper(ManagementApiContract.PEPPER, "t1"))
      .build();

  @AfterEach
  void close() {
    keygate.close();
  }

  @Test
  void settingsAreCheckedWhenGiven() {
    assertThatThrownBy(() -> KeyManagement.builder(keygate).scope("not a scope", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid scope");
    assertThatThrownBy(() -> KeyManagement.builder(keygate).scope("a.b", " "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    assertThatThrownBy(() -> KeyManagement.builder(keygate).scope("a.b", "x").scope("a.b", "y"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already in the catalogue");
    assertThatThrownBy(() -> KeyManagement.builder(keygate).environments())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyManagement.builder(keygate).environments("live", " live"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyManagement.builder(keygate).environments("live", "live"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> KeyManagement.builder(keygate).environments("live").environments("test"))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> KeyManagement.builder(keygate).adminScope("keys.*"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyManagement.builder(keygate).adminScope("keys.admin").access(r -> null))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> KeyManagement.builder(keygate).access(r -> null).adminScope("keys.admin"))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aManagerGrantsWhatItHoldsAndFullAccessOnlyWithFullAccess() {
    Manager limited = new Manager("acme", "k", Set.of("keys.admin", "datasets.*"), false);
    assertThat(limited.ungranted(Set.of("datasets.read", "datasets.*", "keys.admin"))).isEmpty();
    assertThat(limited.ungranted(Set.of("projects.read", "*", "datasets"))).containsExactly("*", "datasets", "projects.read");
    assertThat(limited.ungranted(Set.of())).containsExactly("*");
    Manager full = new Manager("acme", "k", Set.of(), true);
    assertThat(full.ungranted(Set.of())).isEmpty();
    assertThat(full.ungranted(Set.of("anything.at.all", "*"))).isEmpty();
  }

  @Test
  void theDefaultsAndToStringNameTheRuleAndNoSecret() {
    KeyManagement m = KeyManagement.builder(keygate).scope("a.b", "x").build();
    assertThat(m.toString()).contains("keys.admin").contains("1 scopes").contains("development");
    assertThat(KeyManagement.builder(keygate).adminScope("org.admin").build().toString()).contains("org.admin");
    assertThat(ManagementAccess.sessions(r -> Optional.empty()).ambient()).isTrue();
    assertThat(ManagementAccess.apiKeys(keygate, "keys.admin").ambient()).isFalse();
  }
}
