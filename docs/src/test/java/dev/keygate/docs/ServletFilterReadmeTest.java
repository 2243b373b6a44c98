package dev.keygate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.docs.servlet.FilterSettings;
import dev.keygate.docs.servlet.MyEngineFactory;
import dev.keygate.docs.servlet.MyStores;
import dev.keygate.docs.servlet.WhoAmIServlet;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.servlet.KeygateFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The snippets of servlet-filter/README.md, deployed on Jetty and called over HTTP. */
class ServletFilterReadmeTest {
  private final Keygate keygate = Keygate.builder().store(new InMemoryApiKeyStore())
      .keyFormat(KeyFormat.withPrefix("kg_live")).hasher(cheapArgon2()).cacheExecutor(Runnable::run).build();

  @AfterEach
  void close() {
    keygate.close();
  }

  @Test
  void filterSettingsOpenPublicPathsAndPreflightsAndAskForEitherScopeOnReports() throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(FilterSettings.filter(keygate)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(WhoAmIServlet.class, "/orders/*");
    context.addServlet(WhoAmIServlet.class, "/reports/*");
    context.addServlet(OkServlet.class, "/health");
    String reader = key("orders.read");
    String admin = key("admin");
    try (JettyApp app = new JettyApp(context)) {
      assertThat(app.get("/health").statusCode()).isEqualTo(200);
      assertThat(app.get("/orders/1").statusCode()).isEqualTo(401);
      assertThat(app.send("OPTIONS", "/orders/1", "Origin", "https://shop.example",
          "Access-Control-Request-Method", "DELETE").statusCode()).isNotIn(401, 403);
      assertThat(app.get("/orders/1", "X-API-Key", reader).statusCode()).isEqualTo(200);
      assertThat(app.send("DELETE", "/orders/1", "X-API-Key", reader).statusCode()).isEqualTo(403);
      assertThat(app.get("/reports/q1", "X-API-Key", reader).statusCode()).isEqualTo(403);
      assertThat(app.get("/reports/q1", "X-API-Key", admin).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theServletSeesWhatItsCommentsSay() throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(KeygateFilter.builder(keygate.engine()).build()), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(WhoAmIServlet.class, "/*");
    String key = key("orders.read");
    String id = key.substring("kg_live_".length(), "kg_live_".length() + 12);
    try (JettyApp app = new JettyApp(context)) {
      assertThat(app.get("/me", "X-API-Key", key).body()).isEqualTo("key id: " + id + "\nsame: true\n"
          + "orders.read: true\n**: true\nauth type: API_KEY\nremote user: " + id + "\n");
      assertThat(app.get("/me", "X-API-Key", key("reports.read")).body()).contains("orders.read: false\n");
    }
  }

  @Test
  void theEngineFactoryGivenAsContextAttributeBuildsTheFiltersEngine() throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    context.setAttribute("dev.keygate.engine", new MyEngineFactory());
    context.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(WhoAmIServlet.class, "/*");
    try (Keygate issuer = Keygate.builder().store(MyStores.keys()).keyFormat(KeyFormat.withPrefix("kg_live"))
        .build(); JettyApp app = new JettyApp(context)) {
      String key = issuer.keys().create(NewKey.named("factory")).plaintext();
      assertThat(app.get("/me", "X-API-Key", key).statusCode()).isEqualTo(200);
      assertThat(app.get("/me").statusCode()).isEqualTo(401);
    }
  }

  private String key(String scope) {
    return keygate.keys().create(NewKey.named(scope + " key").withScopes(scope)).plaintext();
  }

  /** Argon2id with the smallest cost: the snippets, not the hashing, are under test. */
  static Argon2idHasher cheapArgon2() {
    return Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1).build();
  }

  /** Answers 200 to anything: a public route's servlet. */
  public static class OkServlet extends jakarta.servlet.http.HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp) {
      resp.setStatus(200);
    }
  }
}
