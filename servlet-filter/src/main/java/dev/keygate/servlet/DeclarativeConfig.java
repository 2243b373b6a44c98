package dev.keygate.servlet;

import dev.keygate.AuthenticationEngine;
import dev.keygate.ForwardingHeader;
import dev.keygate.Keygate;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Reads a {@link KeygateFilter}'s init-parameters and finds its engine (see its javadoc). */
final class DeclarativeConfig {
  static final String API_KEY_HEADERS = "apiKeyHeaders";
  static final String PUBLIC_PATHS = "publicPaths";
  static final String ALLOW_PREFLIGHT = "allowPreflight";
  static final String SCOPES = "scopes";
  static final String ENVIRONMENTS = "environments";
  static final String DEFER_BEARER_TOKENS = "deferBearerTokens";
  static final String REQUIRE_HTTPS = "requireHttps";
  static final String TRUSTED_PROXIES = "trustedProxies";
  static final String FORWARDING_HEADER = "forwardingHeader";
  static final String PRINCIPAL_ATTRIBUTE = "principalAttribute";
  static final String ENGINE_ATTRIBUTE = "engineAttribute";

  private static final Set<String> KNOWN = Set.of(API_KEY_HEADERS, PUBLIC_PATHS, ALLOW_PREFLIGHT,
      SCOPES, ENVIRONMENTS, DEFER_BEARER_TOKENS, REQUIRE_HTTPS, TRUSTED_PROXIES, FORWARDING_HEADER,
      PRINCIPAL_ATTRIBUTE, ENGINE_ATTRIBUTE);
  private static final List<String> ENGINE_PARAMETERS =
      List.of(API_KEY_HEADERS, REQUIRE_HTTPS, TRUSTED_PROXIES, FORWARDING_HEADER);
  private static final Pattern LIST = Pattern.compile("[\\s,]+");
  private static final Pattern RULES = Pattern.compile("[;\\r\\n]+");

  private final FilterConfig config;

  private DeclarativeConfig(FilterConfig config) {
    this.config = config;
  }

  /**
   * The settings described by {@code config}'s init-parameters.
   *
   * @throws ServletException naming the parameter at fault, or when no engine can be found
   */
  static KeygateFilter.Settings read(FilterConfig config) throws ServletException {
    return new DeclarativeConfig(config).read();
  }

  private KeygateFilter.Settings read() throws ServletException {
    List<String> unknown = new ArrayList<>();
    for (String name : Collections.list(config.getInitParameterNames())) {
      if (!KNOWN.contains(name)) {
        unknown.add(name);
      }
    }
    if (!unknown.isEmpty()) {
      throw failure("unknown init-parameter(s) " + unknown + "; known: " + new java.util.TreeSet<>(KNOWN), null);
    }
    String attribute = value(ENGINE_ATTRIBUTE);
    KeygateFilter.Builder builder = engine(attribute != null ? attribute : KeygateFilter.ENGINE_ATTRIBUTE);
    try {
      configure(builder);
      return builder.settings();
    } catch (ServletException | RuntimeException e) {
      builder.discard();
      throw e;
    }
  }

  private void configure(KeygateFilter.Builder builder) throws ServletException {
    try {
      String publicPaths = value(PUBLIC_PATHS);
      if (publicPaths != null) {
        builder.publicPaths(list(publicPaths));
      }
      String preflight = value(ALLOW_PREFLIGHT);
      if (preflight != null) {
        builder.allowPreflight(bool(ALLOW_PREFLIGHT, preflight));
      }
      String scopes = value(SCOPES);
      if (scopes != null) {
        for (String rule : RULES.split(scopes)) {
          if (!rule.isBlank()) {
            builder.scopeRule(rule.strip());
          }
        }
      }
      String environments = value(ENVIRONMENTS);
      if (environments != null) {
        for (String rule : RULES.split(environments)) {
          if (!rule.isBlank()) {
            builder.environmentRule(rule.strip());
          }
        }
      }
      String defer = value(DEFER_BEARER_TOKENS);
      if (defer != null) {
        builder.deferBearerTokens(bool(DEFER_BEARER_TOKENS, defer));
      }
      String principalAttribute = value(PRINCIPAL_ATTRIBUTE);
      if (principalAttribute != null) {
        builder.principalAttribute(principalAttribute);
      }
    } catch (IllegalArgumentException e) {
      throw failure(e.getMessage(), e);
    }
  }

  /** A builder around the engine from the context attribute, or a factory found by ServiceLoader. */
  private KeygateFilter.Builder engine(String attributeName) throws ServletException {
    Object found = config.getServletContext().getAttribute(attributeName);
    if (found instanceof Keygate keygate) {
      found = keygate.engine(); // the application's: it keeps and closes it
    }
    if (found instanceof AuthenticationEngine engine) {
      for (String p : ENGINE_PARAMETERS) {
        if (value(p) != null) {
          throw failure("init-parameter '" + p + "' configures an engine the filter builds, but the "
              + "servlet-context attribute '" + attributeName + "' holds a ready-made engine: set it "
              + "on its Keygate.builder(), or put a KeygateEngineFactory there instead", null);
        }
      }
      return KeygateFilter.builder(engine);
    }
    if (found instanceof KeygateEngineFactory factory) {
      return KeygateFilter.builder(build(factory)).ownsEngine();
    }
    if (found != null) {
      throw failure("servlet-context attribute '" + attributeName + "' holds a "
          + found.getClass().getName() + ", not a Keygate, an AuthenticationEngine or a KeygateEngineFactory "
          + "(or one loaded by another class loader)", null);
    }
    return KeygateFilter.builder(build(serviceFactory(attributeName))).ownsEngine();
  }

  private KeygateEngineFactory serviceFactory(String attributeName) throws ServletException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    // containers set the application's loader while they initialise its filters; null only off a
    // container (the mutant skipping this fallback survives in tests for that reason)
    if (loader == null) {
      loader = KeygateFilter.class.getClassLoader();
    }
    List<KeygateEngineFactory> factories = new ArrayList<>();
    try {
      ServiceLoader.load(KeygateEngineFactory.class, loader).forEach(factories::add);
    } catch (ServiceConfigurationError e) {
      throw failure("a KeygateEngineFactory service could not be loaded: " + e.getMessage(), e);
    }
    if (factories.size() == 1) {
      return factories.get(0);
    }
    if (factories.isEmpty()) {
      throw failure("no engine: put a Keygate, an AuthenticationEngine or a KeygateEngineFactory in the "
          + "servlet-context attribute '" + attributeName + "', or register one KeygateEngineFactory "
          + "in META-INF/services/" + KeygateEngineFactory.class.getName(), null);
    }
    List<String> names = new ArrayList<>();
    factories.forEach(f -> names.add(f.getClass().getName()));
    throw failure("several KeygateEngineFactory services found " + names + "; keep one, or put the "
        + "one to use in the servlet-context attribute '" + attributeName + "'", null);
  }

  private AuthenticationEngine build(KeygateEngineFactory factory) throws ServletException {
    Keygate.Builder keygate = Keygate.builder();
    factory.configure(keygate, config);
    try {
      String headers = value(API_KEY_HEADERS);
      if (headers != null) {
        once(API_KEY_HEADERS, () -> keygate.apiKeyHeaders(list(headers)));
      }
      String https = value(REQUIRE_HTTPS);
      if (https != null) {
        boolean required = bool(REQUIRE_HTTPS, https);
        once(REQUIRE_HTTPS, () -> keygate.requireHttps(required));
      }
      String proxies = value(TRUSTED_PROXIES);
      if (proxies != null) {
        once(TRUSTED_PROXIES, () -> keygate.trustedProxies(List.of(list(proxies))));
      }
      String forwarding = value(FORWARDING_HEADER);
      if (forwarding != null) {
        once(FORWARDING_HEADER, () -> keygate.forwardingHeader(forwardingHeader(forwarding)));
      }
      return keygate.build().engine(); // the filter closes the engine: all that Keygate.close() does
    } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
      throw failure(e.getMessage(), e);
    }
  }

  /** Applies an init-parameter; the factory having made the same setting fails the start. */
  private void once(String parameter, Runnable apply) throws ServletException {
    try {
      apply.run();
    } catch (IllegalStateException e) {
      throw failure("init-parameter '" + parameter + "' sets what the KeygateEngineFactory already set ("
          + e.getMessage() + "); set it in one place", e);
    }
  }

  private static ForwardingHeader forwardingHeader(String value) {
    if (value.equalsIgnoreCase("X-Forwarded-For")) {
      return ForwardingHeader.X_FORWARDED_FOR;
    }
    if (value.equalsIgnoreCase("Forwarded")) {
      return ForwardingHeader.FORWARDED;
    }
    throw new IllegalArgumentException(FORWARDING_HEADER + " must be X-Forwarded-For or Forwarded, got '" + value + "'");
  }

  /** The stripped value of an init-parameter, or null when absent or blank. */
  private @Nullable String value(String name) {
    String v = config.getInitParameter(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static String[] list(String value) {
    return LIST.split(value.strip());
  }

  private boolean bool(String name, String value) throws ServletException {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
        return true;
      case "false":
        return false;
      default:
        throw failure("init-parameter '" + name + "' must be true or false, got '" + value + "'", null);
    }
  }

  private ServletException failure(@Nullable String message, @Nullable Throwable cause) {
    String text = "KeygateFilter '" + config.getFilterName() + "': " + message;
    // ServletException(text, null) would be the same exception (an equivalent mutant)
    return cause == null ? new ServletException(text) : new ServletException(text, cause);
  }
}
