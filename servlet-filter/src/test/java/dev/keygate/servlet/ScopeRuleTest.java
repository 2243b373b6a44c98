package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.AuthenticationEngine;
import dev.keygate.Keygate;
import dev.keygate.memory.InMemoryApiKeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Path patterns, the scope-rule text form, and the builder's checks. */
class ScopeRuleTest {

  @ParameterizedTest
  @CsvSource({
      "/*, /, true",
      "/*, /anything/at/all, true",
      "/orders/*, /orders, true",
      "/orders/*, /orders/, true",
      "/orders/*, /orders/7/lines, true",
      "/orders/*, /ordersx, false",
      "/orders/*, /order, false",
      "*.css, /static/site.css, true",
      "*.css, /site.css, true",
      "*.css, /static/.css, false",
      "*.css, /static/site.css/x, false",
      "*.css, /static/sitecss, false",
      "/health, /health, true",
      "/health, /health/, false",
      "/health, /healthz, false",
      "/, /, true",
      "/, /x, false"})
  void pathPatternsMatchLikeServletUrlPatterns(String pattern, String path, boolean matches) {
    assertThat(PathPattern.parse(pattern).matches(path)).isEqualTo(matches);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "orders", "/orders/**", "/or*ders", "*.", "*/x", "/orders/*/lines", "**", "orders/*",
      "/orders*", "/a/*/b/*", "*.css/x", "*.c*ss"})
  void otherPatternsAreRefused(String pattern) {
    assertThatThrownBy(() -> PathPattern.parse(pattern)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesMethodsPathAndScopes() {
    ScopeRule rule = ScopeRule.parse("  post,Put  /orders/*  =  orders.write, audit.write reports.read|admin ");

    assertThat(rule.methods()).containsExactly("POST", "PUT");
    assertThat(rule.pattern()).isEqualTo("/orders/*");
    assertThat(rule.allOf()).containsExactly("audit.write", "orders.write");
    assertThat(rule.anyOf()).containsExactly("admin", "reports.read");
    assertThat(rule).hasToString("POST,PUT /orders/*=audit.write,orders.write,admin|reports.read");
    assertThat(ScopeRule.parse(rule.toString())).isEqualTo(rule);
  }

  @Test
  void textAndBuilderFormsAreTheSame() {
    assertThat(ScopeRule.parse("GET /orders/*=orders.read"))
        .isEqualTo(ScopeRule.path("/orders/*").onMethods("GET").requireAll("orders.read"));
    assertThat(ScopeRule.parse("* /me=")).isEqualTo(ScopeRule.path("/me"));
    assertThat(ScopeRule.parse("/reports/*=reports.*|admin"))
        .isEqualTo(ScopeRule.path("/reports/*").requireAny("admin", "reports.*"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/me=", "/x=a,b", "/x=a|b", "/x=a,b|c", "GET,POST /x/*=a", "*.css=assets.read"})
  void textFormRoundTrips(String text) {
    assertThat(ScopeRule.parse(text)).hasToString(text);
  }

  @Test
  void rulesDifferingInAnyPartAreNotEqual() {
    ScopeRule rule = ScopeRule.parse("GET /orders/*=orders.read audit.log root|admin");

    assertThat(rule).isEqualTo(ScopeRule.parse("get /orders/*=audit.log,orders.read admin|root"))
        .isNotEqualTo(ScopeRule.parse("POST /orders/*=orders.read audit.log root|admin"))
        .isNotEqualTo(ScopeRule.parse("GET /orders=orders.read audit.log root|admin"))
        .isNotEqualTo(ScopeRule.parse("GET /orders/*=orders.read root|admin"))
        .isNotEqualTo(ScopeRule.parse("GET /orders/*=orders.read audit.log ops|admin"))
        .isNotEqualTo(rule.toString());
  }

  @Test
  void ruleWithoutPatternOrMethodsIsRefusedSayingSo() {
    assertThatThrownBy(() -> ScopeRule.parse("=orders.read")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a scope rule is '[METHODS] PATTERN=SCOPES'");
    assertThatThrownBy(() -> ScopeRule.path("/orders/*").onMethods()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("onMethods needs at least one method");
  }

  @Test
  void methodMatchingCoversHeadWithGet() {
    ScopeRule get = ScopeRule.parse("GET /orders/*=orders.read");

    assertThat(get.matches("GET", "/orders/1")).isTrue();
    assertThat(get.matches("HEAD", "/orders/1")).isTrue();
    assertThat(get.matches("POST", "/orders/1")).isFalse();
    assertThat(get.matches("GET", "/reports")).isFalse();
    assertThat(ScopeRule.parse("/orders/*=x").matches("PATCH", "/orders")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET /orders/*",
      "GET POST /orders/*=x",
      "=orders.read",
      "GET /orders/*=orders read!",
      "GET /orders/*=a|b c|d",
      "G@T /orders/*=x",
      "GET, /orders/*=x",
      "GET orders=x"})
  void malformedRulesAreRefused(String rule) {
    assertThatThrownBy(() -> ScopeRule.parse(rule)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderChecksEachSettingAtOnce() {
    AuthenticationEngine engine = Keygate.builder().store(new InMemoryApiKeyStore())
        .keyFormat(Keys.FORMAT).hasher(Keys.HASHER).build().engine();
    try {
      KeygateFilter.Builder b = KeygateFilter.builder(engine);
      assertThatThrownBy(() -> b.publicPaths("health")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.scopeRule("GET /x")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.principalAttribute(" ")).isInstanceOf(IllegalArgumentException.class);
      b.principalAttribute("a").allowPreflight(true);
      assertThatThrownBy(() -> b.principalAttribute("b")).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> b.allowPreflight(false)).isInstanceOf(IllegalStateException.class);
      assertThat(b.settings().deferBearerTokens()).isFalse();
      b.deferBearerTokens(true);
      assertThatThrownBy(() -> b.deferBearerTokens(false)).isInstanceOf(IllegalStateException.class)
          .hasMessage("deferBearerTokens was already set to true");
      assertThatThrownBy(() -> KeygateFilter.builder((AuthenticationEngine) null))
          .isInstanceOf(NullPointerException.class).hasMessage("engine");
      assertThatThrownBy(() -> KeygateFilter.builder((Keygate) null))
          .isInstanceOf(NullPointerException.class).hasMessage("keygate");

      KeygateFilter.Settings settings = b.publicPaths("/health").scopeRule("/x=y").settings();
      assertThat(settings.principalAttribute()).isEqualTo("a");
      assertThat(settings.allowPreflight()).isTrue();
      assertThat(settings.deferBearerTokens()).isTrue();
      assertThat(settings.ruleFor("GET", "/x")).isEqualTo(ScopeRule.path("/x").requireAll("y"));
      assertThat(settings.isPublic("/health")).isTrue();
      assertThat(b.build()).isNotSameAs(b.build());
      assertThat(KeygateFilter.builder(engine).build().toString()).contains("dev.keygate.principal");
    } finally {
      engine.close();
    }
  }
}
