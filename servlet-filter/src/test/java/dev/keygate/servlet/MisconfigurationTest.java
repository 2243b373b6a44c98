package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A filter that cannot be configured as asked fails the application's start: it never serves open. */
class MisconfigurationTest extends FilterTestBase {
  private static final String SERVICES = "META-INF/services/" + KeygateEngineFactory.class.getName();

  @TempDir Path dir;

  private static AbstractThrowableAssert<?, ? extends Throwable> assertStartFails(Map<String, String> params) {
    return assertStartFails(null, params);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertStartFails(ClassLoader loader,
      Map<String, String> params) {
    return assertThatThrownBy(() -> TestServer.startContext(ctx -> {
      if (loader != null) {
        ctx.setClassLoader(loader);
      }
      FilterHolder holder = ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
      params.forEach(holder::setInitParameter);
    })).cause().isInstanceOf(ServletException.class);
  }

  @Test
  void unknownInitParameterFailsTheStart() {
    assertStartFails(Map.of("publicPath", "/health")).hasMessageContaining("unknown init-parameter(s) [publicPath]");
  }

  @Test
  void invalidValuesFailTheStartNamingTheProblem() {
    assertStartFails(Map.of("scopes", "GET /orders/**=orders.read")).hasMessageContaining("not a path pattern");
    assertStartFails(Map.of("scopes", "GET /orders/*=orders read!")).hasMessageContaining("not a valid scope");
    assertStartFails(Map.of("allowPreflight", "yes")).hasMessageContaining("'allowPreflight' must be true or false");
    assertStartFails(Map.of("requireHttps", "1")).hasMessageContaining("'requireHttps' must be true or false");
    assertStartFails(Map.of("deferBearerTokens", "yes"))
        .hasMessageContaining("'deferBearerTokens' must be true or false, got 'yes'");
    assertStartFails(Map.of("deferBearerTokens", "1"))
        .hasMessageContaining("'deferBearerTokens' must be true or false, got '1'");
    assertStartFails(Map.of("trustedProxies", "proxy.internal")).hasMessageContaining("trusted proxy");
    assertStartFails(Map.of("apiKeyHeaders", "X-API-Key:")).hasMessageContaining("not a valid header name");
  }

  @Test
  void invalidForwardingHeaderFailsTheStart() {
    assertStartFails(Map.of("forwardingHeader", "X-Real-IP"))
        .hasMessageContaining("forwardingHeader must be X-Forwarded-For or Forwarded, got 'X-Real-IP'");
  }

  @Test
  void startFailureKeepsTheUnderlyingError() {
    assertStartFails(Map.of("scopes", "GET /orders/*=orders read!"))
        .hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void failedStartClosesTheEngineTheFilterBuilt() {
    assertThatThrownBy(() -> TestServer.startContext(ctx -> {
      ctx.setAttribute(KeygateFilter.ENGINE_ATTRIBUTE, (KeygateEngineFactory) (b, c) -> keys.configure(b));
      ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST))
          .setInitParameter("scopes", "GET /orders/**=orders.read");
    })).cause().isInstanceOf(ServletException.class);

    // a database store would keep a connection or a poller for an engine nobody can close
    assertThat(keys.store.listeners()).isZero();
  }

  @Test
  void initParameterForASettingTheFactoryMadeFailsTheStartNamingBoth() {
    assertThatThrownBy(() -> TestServer.startContext(ctx -> {
      ctx.setAttribute(KeygateFilter.ENGINE_ATTRIBUTE,
          (KeygateEngineFactory) (b, c) -> keys.configure(b).apiKeyHeaders("X-Factory-Key"));
      ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST))
          .setInitParameter("apiKeyHeaders", "X-Param-Key");
    })).cause().isInstanceOf(ServletException.class)
        .hasMessageContaining("init-parameter 'apiKeyHeaders' sets what the KeygateEngineFactory already set")
        .hasMessageContaining("apiKeyHeaders was already set to [X-Factory-Key]");

    assertThat(keys.store.listeners()).as("nothing was built, so nothing listens").isZero();
  }

  @Test
  void failedStartLeavesAReadyMadeEngineToItsOwner() {
    engine = keys.keygate().build().engine();

    assertThatThrownBy(() -> TestServer.startContext(ctx -> {
      ctx.setAttribute(KeygateFilter.ENGINE_ATTRIBUTE, engine);
      ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST))
          .setInitParameter("scopes", "GET /orders/**=orders.read");
    })).cause().isInstanceOf(ServletException.class);

    assertThat(keys.store.listeners()).isEqualTo(1);
  }

  @Test
  void engineParametersCannotChangeAReadyMadeEngine() {
    engine = keys.keygate().build().engine();

    assertThatThrownBy(() -> TestServer.startContext(ctx -> {
      ctx.setAttribute(KeygateFilter.ENGINE_ATTRIBUTE, engine);
      ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST))
          .setInitParameter("requireHttps", "true");
    })).cause().isInstanceOf(ServletException.class).hasMessageContaining("'requireHttps'")
        .hasMessageContaining("ready-made engine");
  }

  @Test
  void contextAttributeOfAnotherTypeFailsTheStart() {
    assertThatThrownBy(() -> TestServer.startContext(ctx -> {
      ctx.setAttribute(KeygateFilter.ENGINE_ATTRIBUTE, "not an engine");
      ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
    })).cause().isInstanceOf(ServletException.class).hasMessageContaining("java.lang.String");
  }

  @Test
  void factoryThatSetsNoStoreFailsTheStart() {
    assertThatThrownBy(() -> TestServer.startContext(ctx -> {
      ctx.setAttribute(KeygateFilter.ENGINE_ATTRIBUTE, (KeygateEngineFactory) (b, c) -> {});
      ctx.addFilter(KeygateFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST));
    })).cause().isInstanceOf(ServletException.class).hasMessageContaining("store is required");
  }

  @Test
  void noFactoryFailsTheStart() {
    assertStartFails(loaderWithServices(List.of()), Map.of()).hasMessageContaining("no engine")
        .hasMessageContaining("servlet-context attribute 'dev.keygate.engine'");
  }

  @Test
  void twoFactoriesFailTheStart() throws IOException {
    Path first = Files.writeString(dir.resolve("first"), TestEngineFactory.class.getName() + "\n");
    Path second = Files.writeString(dir.resolve("second"), SecondEngineFactory.class.getName() + "\n");

    assertStartFails(loaderWithServices(List.of(first.toUri().toURL(), second.toUri().toURL())), Map.of())
        .hasMessageContaining("several KeygateEngineFactory services")
        .hasMessageContaining(SecondEngineFactory.class.getName());
  }

  @Test
  void programmaticFilterRefusesInitParameters() {
    engine = keys.keygate().build().engine();

    assertThatThrownBy(() -> TestServer.startContext(ctx -> {
      FilterHolder holder = new FilterHolder(KeygateFilter.builder(engine).build());
      holder.setInitParameter("publicPaths", "/health");
      ctx.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    })).cause().isInstanceOf(ServletException.class).hasMessageContaining("built programmatically");
  }

  /** A class loader that answers {@code urls} for the factory service file. */
  private static ClassLoader loaderWithServices(List<URL> urls) {
    return new ClassLoader(MisconfigurationTest.class.getClassLoader()) {
      @Override
      public Enumeration<URL> getResources(String name) throws IOException {
        return name.equals(SERVICES) ? Collections.enumeration(urls) : super.getResources(name);
      }
    };
  }

  @Test
  void servicesFileIsThere() {
    assertThat(getClass().getClassLoader().getResource(SERVICES)).isNotNull();
  }
}
