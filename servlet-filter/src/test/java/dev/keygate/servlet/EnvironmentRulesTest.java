package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.Refusal;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Environment rules: a route that takes keys of one environment only, over real HTTP. */
class EnvironmentRulesTest extends FilterTestBase {
  static final String WRONG_ENVIRONMENT =
      "{\"detail\":\"This endpoint does not accept keys of this environment.\",\"required_environment\":\"live\"}";
  private static final KeyFormat FORMAT = format();

  private String test;
  private String live;

  private static KeyFormat format() {
    Map<String, String> prefixes = new LinkedHashMap<>();
    prefixes.put("test", "kg_test");
    prefixes.put("live", "kg_live");
    return KeyFormat.withEnvironments(prefixes);
  }

  private Keygate.Builder keygate() {
    return Keygate.builder().store(keys.store).keyFormat(FORMAT).hasher(Keys.HASHER).clock(keys.clock)
        .cacheExecutor(Runnable::run).failuresPerAddress(Keys.FAILURES).usageFlushInterval(Duration.ZERO);
  }

  @BeforeEach
  void createKeys() {
    try (Keygate issuer = keygate().build()) {
      test = issuer.keys().create(NewKey.named("test").withEnvironment("test")).plaintext();
      live = issuer.keys().create(NewKey.named("live").withEnvironment("live").withScopes("reports.read")).plaintext();
    }
  }

  @Test
  void aLiveOnlyPathRefusesTestKeysWith403AndTakesLiveKeys() {
    TestServer s = serve(keygate(), f -> f.requireEnvironment("/payouts/*", "live"));

    assertRefused(s.get("/payouts/1", "X-API-Key", test), 403, WRONG_ENVIRONMENT, null, null);
    assertRefused(s.send("POST", "/payouts", "X-API-Key", test), 403, WRONG_ENVIRONMENT, null, null);
    assertThat(assertEchoed(s.get("/payouts/1", "X-API-Key", live))).containsEntry("principal", keyId(live));
    assertRefused(s.get("/payouts/1"), 401, NO_CREDENTIALS, CHALLENGE, null);
    // paths the rule does not cover take both
    assertEchoed(s.get("/reports", "X-API-Key", test));
    assertEchoed(s.get("/payoutsx", "X-API-Key", test));
    assertThat(engine.statistics().refused(Refusal.ENVIRONMENT_NOT_ALLOWED)).isEqualTo(2);
  }

  @Test
  void aRuleOnSomeMethodsLeavesTheOthersToEveryEnvironment() {
    TestServer s = serve(keygate(), f -> f.environmentRule("POST,PUT /payouts/*=live"));

    assertRefused(s.send("POST", "/payouts/1", "X-API-Key", test), 403, WRONG_ENVIRONMENT, null, null);
    assertRefused(s.send("PUT", "/payouts/1", "X-API-Key", test), 403, WRONG_ENVIRONMENT, null, null);
    assertEchoed(s.get("/payouts/1", "X-API-Key", test));
    assertEchoed(s.send("POST", "/payouts/1", "X-API-Key", live));
  }

  @Test
  void theEnvironmentIsCheckedBeforeTheScopeRuleAndEveryMatchingRuleApplies() {
    TestServer s = serve(keygate(), f -> f.scopeRule("/payouts/*=payouts.write")
        .requireEnvironment("/payouts/*", "live").requireEnvironment("/*", "live"));

    assertRefused(s.get("/payouts/1", "X-API-Key", test), 403, WRONG_ENVIRONMENT, null, null);
    assertRefused(s.get("/other", "X-API-Key", test), 403, WRONG_ENVIRONMENT, null, null);
    assertThat(s.get("/payouts/1", "X-API-Key", live).body()).contains("\"required_scopes\":[\"payouts.write\"]");
    assertEchoed(s.get("/other", "X-API-Key", live));
  }

  @Test
  void aDeferredBearerTokenIsRefusedWhereAnEnvironmentRuleApplies() {
    TestServer s = serve(keygate(), f -> f.deferBearerTokens(true).requireEnvironment("/payouts/*", "live"));

    assertRefused(s.get("/payouts/1", "Authorization", "Bearer x"), 401, "{\"detail\":\"Invalid bearer token.\"}",
        "Bearer realm=\"keygate\", error=\"invalid_token\"", null);
    assertThat(assertEchoed(s.get("/reports", "Authorization", "Bearer x"))).containsEntry("principal", "none");
  }

  @Test
  void anEnvironmentTheKeyFormatLacksOrABadRuleIsRefusedAtOnce() {
    Keygate keygate = keygate().build();
    try {
      KeygateFilter.Builder b = KeygateFilter.builder(keygate);
      assertThatThrownBy(() -> b.requireEnvironment("/payouts/*", "lvie")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("environment rule '/payouts/*=lvie': 'lvie' is not one of the key format's environments [test, live]");
      assertThatThrownBy(() -> b.requireEnvironment("/payouts/*", " live")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("an environment is 1 to 64 characters without leading or trailing white space, got ' live'");
      assertThatThrownBy(() -> b.requireEnvironment("/payouts/*", "")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> b.requireEnvironment("/payouts/**", "live")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a path pattern");
      assertThatThrownBy(() -> b.environmentRule("/payouts/* live")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("an environment rule is '[METHODS] PATTERN=ENVIRONMENT': '/payouts/* live'");
      // "=" first: a rule without a target, refused as such by the target's reading
      assertThatThrownBy(() -> b.environmentRule("=live")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a scope rule is '[METHODS] PATTERN=SCOPES': '='");
      assertThatThrownBy(() -> b.environmentRule("/payouts/*=")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("got ''");
      assertThatThrownBy(() -> b.environmentRule("GET POST /payouts/*=live")).isInstanceOf(IllegalArgumentException.class);
      b.requireEnvironment("/a", "live");
      assertThat(b.build().toString()).contains("environmentRules=[/a=live]");
    } finally {
      keygate.close();
    }
  }

  @Test
  void withASinglePrefixFormatAnEnvironmentIsFreeText() {
    String key = keys.create(NewKey.named("staged").withEnvironment("staging area")).plaintext();
    TestServer s = serve(keys.keygate(), f -> f.requireEnvironment("/stage/*", "staging area")
        .environmentRule("GET /prod/*=production"));

    assertEchoed(s.get("/stage/1", "X-API-Key", key));
    assertThat(s.get("/prod/1", "X-API-Key", key).body())
        .isEqualTo(WRONG_ENVIRONMENT.replace("\"live\"", "\"production\""));
    String none = keys.create(NewKey.named("none")).plaintext();
    assertThat(s.get("/stage/1", "X-API-Key", none).statusCode()).isEqualTo(403);
    assertThatThrownBy(() -> KeygateFilter.builder(engine).requireEnvironment("/x", "e".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(KeygateFilter.builder(engine).requireEnvironment("/x", "e".repeat(64)).build().toString())
        .contains("/x=" + "e".repeat(64));
  }

  @Test
  void theInitParameterDeclaresRules() {
    TestEngineFactory.format = FORMAT;
    try {
      server = TestServer.startContext(ctx -> {
        FilterHolder holder = ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
        holder.setInitParameter("environments", "POST /payouts/*=live; \n /live/*=live\n");
      });
      assertRefused(server.send("POST", "/payouts/1", "X-API-Key", test), 403, WRONG_ENVIRONMENT, null, null);
      assertRefused(server.get("/live/x", "X-API-Key", test), 403, WRONG_ENVIRONMENT, null, null);
      assertEchoed(server.get("/payouts/1", "X-API-Key", test));
      assertEchoed(server.send("POST", "/payouts/1", "X-API-Key", live));
    } finally {
      TestEngineFactory.format = null;
    }
  }

  @Test
  void aBadInitParameterFailsTheStart() {
    TestEngineFactory.format = FORMAT;
    try {
      assertThatThrownBy(() -> TestServer.startContext(ctx -> {
        FilterHolder holder = ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
        holder.setInitParameter("environments", "/payouts/*=staging");
      })).cause().isInstanceOf(ServletException.class)
          .hasMessageContaining("'staging' is not one of the key format's environments [test, live]");
    } finally {
      TestEngineFactory.format = null;
    }
  }

  private static String keyId(String key) {
    return FORMAT.parse(key).id();
  }
}
