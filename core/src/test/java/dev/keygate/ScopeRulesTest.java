package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Scope names at their length limit, wildcard edges, and what each kind of principal holds. */
class ScopeRulesTest {

  @Test
  void aScopeIsAtMost200Characters() {
    String base = "a".repeat(64) + "." + "b".repeat(64) + "." + "c".repeat(64) + ".";
    assertThat(Scopes.isValid(base + "d".repeat(5))).as("200 characters").isTrue();
    assertThat(Scopes.isValid(base + "d".repeat(6))).as("201 characters").isFalse();
  }

  @Test
  void aWildcardGrantsWhatIsBelowItsStemOnly() {
    assertThat(Scopes.grants(Set.of("orders.*"), "orders.")).as("the stem alone, dot included").isFalse();
    assertThat(Scopes.grants(Set.of("orders.*"), "orders.x")).isTrue();
    assertThat(Scopes.grants(Set.of("orders.*"), "orders")).isFalse();
    assertThat(Scopes.grants(Set.of("orders.*"), "orders*")).isFalse();
    assertThat(Scopes.grants(Set.of("orders.read", "*"), "admin")).as("any granted * grants all").isTrue();
  }

  @Test
  void holdingAnyOfNothingIsHoldingEnough() {
    assertThat(Scopes.grantsAny(Set.of("a"), Set.of())).isTrue();
    assertThat(Scopes.grantsAny(Set.of(), Set.of())).isTrue();
    assertThat(Scopes.grantsAll(Set.of(), Set.of())).isTrue();
    assertThat(Scopes.grantsAll(Set.of(), Set.of("a"))).isFalse();
  }

  @Test
  void aFullAccessPrincipalHoldsEveryScopeWithoutListingAny() {
    KeygatePrincipal full = new KeygatePrincipal(AuthMethod.API_KEY, "id", "id", "n", null, Set.of(), true, null, Map.of());
    assertThat(full.hasScope("anything")).isTrue();
    assertThat(full.hasAllScopes(Set.of("x", "y"))).isTrue();
    assertThat(full.hasAnyScope(Set.of("x"))).isTrue();
    assertThat(full.previousSecret()).as("the constructor without it: a current secret").isFalse();
    assertThat(KeygatePrincipal.bearer("user", "acme", Set.of("a")).previousSecret()).isFalse();
    assertThat(new KeygatePrincipal(AuthMethod.API_KEY, "id", "id", "n", null, Set.of(), true, null, Map.of(), true)
        .previousSecret()).isTrue();
  }

  @Test
  void aPrincipalWithoutScopesHoldsNone() {
    KeygatePrincipal none = KeygatePrincipal.bearer("user", null, Set.of());
    assertThat(none.fullAccess()).isFalse();
    assertThat(none.hasScope("x")).isFalse();
    assertThat(none.hasAllScopes(Set.of("x"))).isFalse();
    assertThat(none.hasAllScopes(Set.of())).isTrue();
    assertThat(none.hasAnyScope(Set.of("x", "y"))).isFalse();
    assertThat(none.hasAnyScope(Set.of())).isTrue();
  }

  @Test
  void aScopedPrincipalHoldsExactlyWhatItsScopesGrant() {
    KeygatePrincipal p = KeygatePrincipal.bearer("user", "org", Set.of("reports.*", "orders.read"));
    assertThat(p.hasScope("reports.daily")).isTrue();
    assertThat(p.hasScope("orders.write")).isFalse();
    assertThat(p.hasAnyScope(Set.of("admin", "reports.daily"))).isTrue();
    assertThat(p.hasAnyScope(Set.of("admin", "orders.write"))).isFalse();
    assertThat(p.hasAllScopes(Set.of("orders.read", "reports.x"))).isTrue();
    assertThat(p.hasAllScopes(Set.of("orders.read", "admin"))).isFalse();
    assertThat(p.getName()).isEqualTo("user");
    assertThat(p.scopes()).containsExactly("orders.read", "reports.*");
  }
}
