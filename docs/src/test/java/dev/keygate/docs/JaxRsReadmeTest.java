package dev.keygate.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.docs.jaxrs.BearerApplication;
import dev.keygate.docs.jaxrs.JaxRsSetup;
import dev.keygate.docs.jaxrs.MeResource;
import dev.keygate.docs.jaxrs.MyTokens;
import dev.keygate.docs.jaxrs.ShopApplication;
import dev.keygate.docs.jaxrs.ShopResource;
import dev.keygate.memory.InMemoryApiKeyStore;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The snippets of jaxrs-filter/README.md, on Jersey on Jetty, called over HTTP. */
class JaxRsReadmeTest {
  private final Keygate keygate = Keygate.builder().store(new InMemoryApiKeyStore())
      .keyFormat(KeyFormat.withPrefix("kg_live")).hasher(ServletFilterReadmeTest.cheapArgon2())
      .cacheExecutor(Runnable::run).build();

  @AfterEach
  void close() {
    keygate.close();
  }

  @Test
  void quickStartStepsServeTheIssuedKeyAndRefuseNoKey() throws Exception {
    try (Keygate readmeKeygate = JaxRsSetup.keygate();
        JettyApp app = jersey(JaxRsSetup.jersey(readmeKeygate))) {
      String key = JaxRsSetup.issue(readmeKeygate).plaintext();
      assertThat(app.get("/orders/1", "X-API-Key", key).body()).isEqualTo("order 1");
      assertThat(app.get("/orders/1").statusCode()).isEqualTo(401);
      assertThat(app.get("/health").body()).isEqualTo("ok");
    }
  }

  @Test
  void aPlainApplicationRegistersTheFeature() throws Exception {
    try (JettyApp app = jersey(ResourceConfig.forApplication(new ShopApplication(keygate)))) {
      assertThat(app.get("/orders/1", "X-API-Key", key("orders.read")).statusCode()).isEqualTo(200);
      assertThat(app.get("/orders/1").statusCode()).isEqualTo(401);
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void inheritedAnnotationsLocatorsAndTheSecurityContextAreAsCommented() throws Exception {
    ResourceConfig config = JaxRsSetup.jersey(keygate).register(ShopResource.class).register(MeResource.class);
    String reader = key("orders.read");
    String admin = key("orders.admin");
    String adminWriter = keygate.keys().create(NewKey.named("both").withScopes("orders.admin", "orders.write"))
        .plaintext();
    try (JettyApp app = jersey(config)) {
      // OrdersApi / OrdersResource: orders.admin from the interface method, orders.read from the class
      assertThat(app.send("DELETE", "/orders/1", "X-API-Key", reader).statusCode()).isEqualTo(403);
      assertThat(app.send("DELETE", "/orders/1", "X-API-Key", admin).statusCode()).isEqualTo(204);
      assertThat(app.get("/orders/1", "X-API-Key", admin).statusCode()).isEqualTo(403);
      // the locator's orders.admin applies behind it, and purge adds orders.write
      assertThat(app.get("/shop/admin").statusCode()).isEqualTo(401);
      assertThat(app.get("/shop/admin", "X-API-Key", reader).statusCode()).isEqualTo(403);
      assertThat(app.get("/shop/admin", "X-API-Key", admin).body()).isEqualTo("up");
      assertThat(app.send("POST", "/shop/admin", "X-API-Key", admin).statusCode()).isEqualTo(403);
      assertThat(app.send("POST", "/shop/admin", "X-API-Key", adminWriter).statusCode()).isEqualTo(204);
      // wildcards honoured
      assertThat(app.get("/me", "X-API-Key", key("orders.*")).body()).isEqualTo("orders.* key API_KEY orders.read=true");
      assertThat(app.get("/me", "X-API-Key", admin).body()).isEqualTo("orders.admin key API_KEY orders.read=false");
    }
  }

  @Test
  void featureSettingsServeKeysWithThePeerAddressUnknownOffAServletProperty() throws Exception {
    try (JettyApp app = jersey(new ResourceConfig(dev.keygate.docs.jaxrs.OrdersResource.class)
        .register(JaxRsSetup.feature(keygate)))) {
      assertThat(app.get("/orders/1", "X-API-Key", key("orders.read")).statusCode()).isEqualTo(200);
      assertThat(app.get("/orders/1", "Authorization", "Bearer x").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void theApplicationsTokenFilterAuthenticatesItsTokensAndKeygateRefusesOthers() throws Exception {
    try (JettyApp app = jersey(new BearerApplication(keygate))) {
      assertThat(app.get("/orders/1", "Authorization", "Bearer " + MyTokens.VALID_TOKEN).body()).isEqualTo("order 1");
      assertThat(app.get("/orders/1", "Authorization", "Bearer forged").statusCode()).isEqualTo(401);
      // the token's user holds orders.read only
      assertThat(app.send("DELETE", "/orders/1", "Authorization", "Bearer " + MyTokens.VALID_TOKEN).statusCode())
          .isEqualTo(403);
      assertThat(app.get("/orders/1", "X-API-Key", key("orders.read")).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void clientFiltersWithoutTheirVariableFailAtConstructionNamingIt() {
    assumeTrue(System.getenv("KEYGATE_API_KEY") == null && System.getenv("AVALA_KEY") == null,
        "the variables are set in this environment");
    assertThatThrownBy(JaxRsSetup::client).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("KEYGATE_API_KEY");
    assertThatThrownBy(JaxRsSetup::avalaClientFilter).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AVALA_KEY");
  }

  private String key(String scope) {
    return keygate.keys().create(NewKey.named(scope + " key").withScopes(scope)).plaintext();
  }

  private static JettyApp jersey(ResourceConfig config) throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new ServletContainer(config)), "/*");
    return new JettyApp(context);
  }
}
