package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import jakarta.servlet.DispatcherType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter declared by class name and configured by init-parameters, as in web.xml. */
class DeclarativeConfigTest extends FilterTestBase {
  private static final String WEB_XML = """
      <?xml version="1.0" encoding="UTF-8"?>
      <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
        <filter>
          <filter-name>keygate</filter-name>
          <filter-class>dev.keygate.servlet.KeygateFilter</filter-class>
          <async-supported>true</async-supported>
          <init-param>
            <param-name>apiKeyHeaders</param-name>
            <param-value>X-Avala-Api-Key, X-API-Key</param-value>
          </init-param>
          <init-param>
            <param-name>publicPaths</param-name>
            <param-value>/health /signup/*</param-value>
          </init-param>
          <init-param>
            <param-name>allowPreflight</param-name>
            <param-value>true</param-value>
          </init-param>
          <init-param>
            <param-name>scopes</param-name>
            <param-value>
              GET /orders/*=orders.read
              POST,PUT /orders/*=orders.write
              /reports/*=reports.read|admin
            </param-value>
          </init-param>
          <init-param>
            <param-name>requireHttps</param-name>
            <param-value>true</param-value>
          </init-param>
          <init-param>
            <param-name>trustedProxies</param-name>
            <param-value>127.0.0.1, ::1</param-value>
          </init-param>
          <init-param>
            <param-name>principalAttribute</param-name>
            <param-value>app.caller</param-value>
          </init-param>
        </filter>
        <filter-mapping>
          <filter-name>keygate</filter-name>
          <url-pattern>/*</url-pattern>
          <dispatcher>REQUEST</dispatcher>
        </filter-mapping>
        <servlet>
          <servlet-name>echo</servlet-name>
          <servlet-class>dev.keygate.servlet.EchoServlet</servlet-class>
        </servlet>
        <servlet-mapping>
          <servlet-name>echo</servlet-name>
          <url-pattern>/*</url-pattern>
        </servlet-mapping>
      </web-app>
      """;
  private static final String HTTPS = "X-Forwarded-Proto";

  @TempDir Path webapp;

  private TestServer deployWebXml() throws Exception {
    Files.createDirectories(webapp.resolve("WEB-INF"));
    Files.writeString(webapp.resolve("WEB-INF/web.xml"), WEB_XML);
    WebAppContext context = new WebAppContext();
    context.setContextPath("/");
    context.setBaseResourceAsPath(webapp);
    context.setParentLoaderPriority(true);
    context.setThrowUnavailableOnStartupException(true);
    server = TestServer.start(context);
    return server;
  }

  @Test
  void webXmlConfiguresEverythingWithTheEngineFromServiceLoader() throws Exception {
    IssuedKey reader = keys.create(NewKey.named("reader").withScopes("orders.read"));
    IssuedKey writer = keys.create(NewKey.named("writer").withScopes("orders.read", "orders.write"));
    TestServer s = deployWebXml();

    Map<String, String> echo = assertEchoed(s.get("/orders/1?attr=app.caller&role=orders.read",
        "X-Avala-Api-Key", reader.plaintext(), HTTPS, "https"));
    assertThat(echo).containsEntry("principal", reader.key().id()).containsEntry("attribute", reader.key().id())
        .containsEntry("authType", "API_KEY").containsEntry("role:orders.read", "true");
    assertEchoed(s.get("/orders/1", "X-API-Key", reader.plaintext(), HTTPS, "https"));
    assertRefused(s.send("PUT", "/orders/1", "X-Avala-Api-Key", reader.plaintext(), HTTPS, "https"), 403,
        "{\"detail\":\"You do not have permission to perform this action.\",\"required_scopes\":[\"orders.write\"]}",
        null, null);
    assertEchoed(s.send("PUT", "/orders/1", "X-Avala-Api-Key", writer.plaintext(), HTTPS, "https"));
    assertThat(s.get("/reports/q1", "X-Avala-Api-Key", writer.plaintext(), HTTPS, "https").statusCode())
        .isEqualTo(403);
  }

  @Test
  void webXmlPublicPathsPreflightHttpsAndChallenge() throws Exception {
    String key = keys.key();
    TestServer s = deployWebXml();

    assertEchoed(s.get("/health"));
    assertEchoed(s.get("/signup/start"));
    assertEchoed(s.send("OPTIONS", "/orders", "Origin", "https://app.example", "Access-Control-Request-Method", "GET"));
    assertRefused(s.get("/orders", "X-API-Key", key), 403, "{\"detail\":\"HTTPS is required.\"}", null, null);
    assertRefused(s.get("/orders", HTTPS, "https"), 401, NO_CREDENTIALS,
        "ApiKey realm=\"keygate\", header=\"X-Avala-Api-Key\"", null);
  }

  @Test
  void filterClosesTheEngineItBuiltFlushingUsage() throws Exception {
    IssuedKey issued = keys.create(NewKey.named("n"));
    TestServer s = deployWebXml();
    for (int i = 0; i < 3; i++) {
      assertEchoed(s.get("/orders", "X-API-Key", issued.plaintext(), HTTPS, "https"));
    }
    assertThat(keys.store.findById(issued.key().id()).orElseThrow().usageCount()).isZero();

    stop();
    server = null;

    assertThat(keys.store.findById(issued.key().id()).orElseThrow().usageCount()).isEqualTo(3);
  }

  @Test
  void initParametersWithReadyMadeEngineFromContextAttribute() {
    String key = keys.key("orders.read");
    engine = keys.keygate().build().engine();
    server = TestServer.startContext(ctx -> {
      ctx.setAttribute(KeygateFilter.ENGINE_ATTRIBUTE, engine);
      FilterHolder holder = ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
      holder.setInitParameter("publicPaths", "/health");
      holder.setInitParameter("scopes", "GET /orders/*=orders.read; POST /orders/*=orders.write");
    });

    assertEchoed(server.get("/health"));
    assertEchoed(server.get("/orders", "X-API-Key", key));
    assertThat(server.send("POST", "/orders", "X-API-Key", key).statusCode()).isEqualTo(403);
    assertRefused(server.get("/orders"), 401, NO_CREDENTIALS, CHALLENGE, null);
  }

  @Test
  void keygateInTheContextAttributeServesWithItsEngineAndStaysOpen() {
    String key = keys.key("orders.read");
    try (Keygate keygate = keys.keygate().build()) {
      server = TestServer.startContext(ctx -> {
        ctx.setAttribute(KeygateFilter.ENGINE_ATTRIBUTE, keygate);
        ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
      });

      assertEchoed(server.get("/orders", "X-API-Key", key));
      assertRefused(server.get("/orders"), 401, NO_CREDENTIALS, CHALLENGE, null);
      server.close();
      server = null;
      // the application's Keygate: the filter's destroy() leaves it listening to the store
      assertThat(keys.store.listeners()).isEqualTo(1);
    }
    assertThat(keys.store.listeners()).isZero();
  }

  @Test
  void factoryFromNamedContextAttributeGetsTheEngineParameters() {
    // another store than the ServiceLoader factory's: only the named factory knows this key
    Keys named = new Keys();
    String key = named.key();
    server = TestServer.startContext(ctx -> {
      ctx.setAttribute("my.engine", (KeygateEngineFactory) (builder, config) -> named.configure(builder));
      FilterHolder holder = ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
      holder.setInitParameter("engineAttribute", "my.engine");
      holder.setInitParameter("apiKeyHeaders", "X-Avala-Api-Key");
    });

    assertEchoed(server.get("/orders", "X-Avala-Api-Key", key));
    assertRefused(server.get("/orders", "X-API-Key", key), 401, NO_CREDENTIALS,
        "ApiKey realm=\"keygate\", header=\"X-Avala-Api-Key\"", null);
  }

  @Test
  void forwardingHeaderParameterChoosesWhichHeaderTheTrustedProxyWrites() {
    String office = keys.create(NewKey.named("office").withAllowedIps(List.of("10.0.0.0/8"))).plaintext();
    TestServer forwarded = serveDeclared(Map.of("trustedProxies", "127.0.0.1", "forwardingHeader", "forwarded"));

    assertEchoed(forwarded.get("/orders", "X-API-Key", office, "Forwarded", "for=10.1.2.3"));
    assertThat(forwarded.get("/orders", "X-API-Key", office, "X-Forwarded-For", "10.1.2.3").statusCode())
        .isEqualTo(403);
    forwarded.close();

    TestServer xff = serveDeclared(Map.of("trustedProxies", "127.0.0.1", "forwardingHeader", "x-forwarded-for"));
    assertEchoed(xff.get("/orders", "X-API-Key", office, "X-Forwarded-For", "10.1.2.3"));
    assertThat(xff.get("/orders", "X-API-Key", office, "Forwarded", "for=10.1.2.3").statusCode()).isEqualTo(403);
  }

  @Test
  void blankParametersAndBlankRuleLinesAreLeftOut() {
    IssuedKey reader = keys.create(NewKey.named("reader").withScopes("orders.read"));
    TestServer s = serveDeclared(Map.of("publicPaths", "  ", "principalAttribute", " ", "allowPreflight", "",
        "scopes", "GET /orders/*=orders.read;\n   \n ; POST /orders/*=orders.write"));

    assertRefused(s.get("/health"), 401, NO_CREDENTIALS, CHALLENGE, null);
    assertRefused(s.send("OPTIONS", "/orders", "Origin", "https://app.example", "Access-Control-Request-Method", "GET"),
        401, NO_CREDENTIALS, CHALLENGE, null);
    // the default attribute
    assertThat(assertEchoed(s.get("/orders/1", "X-API-Key", reader.plaintext())))
        .containsEntry("attribute", reader.key().id());
    assertThat(s.send("POST", "/orders/1", "X-API-Key", reader.plaintext()).statusCode()).isEqualTo(403);
  }

  @Test
  void allowPreflightFalseAuthenticatesPreflights() {
    TestServer s = serveDeclared(Map.of("allowPreflight", "FALSE"));

    assertRefused(s.send("OPTIONS", "/orders", "Origin", "https://app.example", "Access-Control-Request-Method", "GET"),
        401, NO_CREDENTIALS, CHALLENGE, null);
  }

  /** The filter declared by class name with {@code params}; its engine from the ServiceLoader factory. */
  private TestServer serveDeclared(Map<String, String> params) {
    server = TestServer.startContext(ctx -> {
      FilterHolder holder = ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
      params.forEach(holder::setInitParameter);
    });
    return server;
  }
}
