package dev.keygate.servlet;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Deferred;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.Keygate;
import dev.keygate.KeygatePrincipal;
import dev.keygate.Refusal;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keygate as a servlet filter. For each request it asks the {@link AuthenticationEngine}, which
 * reads the API-key header(s) and {@code Authorization: Bearer}; the filter takes no decision
 * about keys itself. Then:
 *
 * <ul>
 *   <li>authenticated: every matching environment rule is checked (403 with {@code
 *       required_environment} for a key of another environment; {@link
 *       Builder#requireEnvironment(String, String)}), then the first matching {@link ScopeRule}
 *       (403 with {@code required_scopes} when a scope is missing), the {@link KeygatePrincipal} is stored in the
 *       request attribute {@value #PRINCIPAL_ATTRIBUTE} and the chain continues with a request
 *       whose {@code getUserPrincipal()} is the principal, {@code isUserInRole(scope)} tells
 *       whether it holds a scope, {@code getAuthType()} is {@code API_KEY} or {@code BEARER} and
 *       {@code getRemoteUser()} is the key id (or the token's subject);
 *   <li>refused: the engine's status, headers ({@code Content-Type: application/json}, {@code
 *       Cache-Control: no-store}, {@code WWW-Authenticate} on 401, {@code Retry-After} on 429 and
 *       503) and JSON body are written, and the chain does not continue. Headers set by earlier
 *       filters (CORS, say) are kept;
 *   <li>deferred (an {@code Authorization: Bearer} token, no API-key header, and no {@link
 *       dev.keygate.BearerTokenAuthenticator} on the engine): refused like any credential Keygate
 *       cannot accept, with {@link AuthenticationEngine#invalidBearerToken()} (401 {@code Invalid
 *       bearer token.}). Only when the application opted in with {@link
 *       Builder#deferBearerTokens(boolean) deferBearerTokens} does the chain continue,
 *       unauthenticated, for the application to check the token itself, and then only where no
 *       {@link ScopeRule} applies: a request a rule covers is still refused 401, since the filter
 *       cannot check the scopes of a token it has not verified.
 * </ul>
 *
 * <p>Public paths and, when allowed, CORS preflight requests ({@code OPTIONS} with {@code Origin}
 * and {@code Access-Control-Request-Method}) pass through without authentication. Paths are
 * matched against the path within the application (servlet path plus path info), as the
 * container decoded and normalised it. The filter never answers 500: an unexpected failure is
 * logged and answered 503.
 *
 * <h2>Programmatic configuration</h2>
 *
 * <pre>{@code
 * KeygateFilter filter = KeygateFilter.builder(keygate)
 *     .publicPaths("/health", "/signup")
 *     .allowPreflight(true)
 *     .scopeRule("GET /orders/*=orders.read")
 *     .scopeRule(ScopeRule.path("/orders/*").onMethods("POST").requireAll("orders.write"))
 *     .build();
 * context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * <p>The caller owns the engine and closes it. A filter built this way takes no init-parameters.
 *
 * <h2>Declarative configuration ({@code web.xml})</h2>
 *
 * <p>Declared by class name, the filter reads these init-parameters (all optional; unknown names
 * fail the filter's start, so a typo never weakens the configuration):
 *
 * <table>
 *   <caption>init-parameters</caption>
 *   <tr><th>name</th><th>value</th><th>default</th></tr>
 *   <tr><td>{@code apiKeyHeaders}</td><td>header name(s) carrying the key, comma or space
 *       separated, first preferred</td><td>{@code X-API-Key}</td></tr>
 *   <tr><td>{@code publicPaths}</td><td>path patterns left open, comma or space separated
 *       ({@code /health, /signup, /static/*, *.css})</td><td>none</td></tr>
 *   <tr><td>{@code allowPreflight}</td><td>{@code true} lets CORS preflight requests
 *       through</td><td>{@code false}</td></tr>
 *   <tr><td>{@code scopes}</td><td>{@link ScopeRule}s, one per line or separated by {@code ;},
 *       first match applies: {@code GET /orders/*=orders.read}</td><td>none</td></tr>
 *   <tr><td>{@code environments}</td><td>environment rules, one per line or separated by {@code
 *       ;}, every match applies: {@code POST /payouts/*=live} (see {@link
 *       Builder#environmentRule(String)})</td><td>none</td></tr>
 *   <tr><td>{@code deferBearerTokens}</td><td>{@code true} hands a Bearer token the engine cannot
 *       check to the application, unauthenticated, where no scope rule applies (see {@link
 *       Builder#deferBearerTokens(boolean)}); {@code false} refuses it 401</td><td>{@code
 *       false}</td></tr>
 *   <tr><td>{@code requireHttps}</td><td>{@code true} refuses plain HTTP with 403 (a trusted
 *       proxy's {@code X-Forwarded-Proto: https} or {@code Forwarded: proto=https}
 *       counts)</td><td>{@code false}</td></tr>
 *   <tr><td>{@code trustedProxies}</td><td>addresses or CIDR ranges of reverse proxies whose
 *       forwarding header is believed</td><td>none</td></tr>
 *   <tr><td>{@code forwardingHeader}</td><td>the header those proxies write: {@code
 *       X-Forwarded-For} (with {@code X-Forwarded-Proto}) or {@code Forwarded}; the other is
 *       ignored</td><td>{@code X-Forwarded-For}</td></tr>
 *   <tr><td>{@code principalAttribute}</td><td>the request attribute holding the
 *       principal</td><td>{@value #PRINCIPAL_ATTRIBUTE}</td></tr>
 *   <tr><td>{@code engineAttribute}</td><td>the servlet-context attribute holding an {@link
 *       AuthenticationEngine} or a {@link KeygateEngineFactory}</td><td>{@value
 *       #ENGINE_ATTRIBUTE}</td></tr>
 * </table>
 *
 * <p>The engine comes from the servlet-context attribute {@code engineAttribute}: a ready-made
 * {@link AuthenticationEngine} (used as it is, owned by whoever put it there; {@code
 * apiKeyHeaders}, {@code requireHttps}, {@code trustedProxies} and {@code forwardingHeader} are then refused, as they can
 * only configure an engine the filter builds) or a {@link KeygateEngineFactory}. Without that
 * attribute, exactly one {@link KeygateEngineFactory} must be registered for {@link
 * java.util.ServiceLoader}. An engine built from a factory is closed (usage flushed) when the
 * filter is destroyed.
 *
 * <h2>Dispatch types</h2>
 *
 * <p>Register the filter for {@link DispatcherType#REQUEST}. If servlets call {@code
 * AsyncContext.dispatch()}, add {@link DispatcherType#ASYNC}: on any dispatch other than {@code
 * REQUEST} the filter never authenticates anew, it only restores the principal found in the
 * request attribute so the dispatched request sees it again.
 *
 * <p>Thread-safe once initialised.
 */
public final class KeygateFilter implements Filter {
  /** The default request attribute holding the {@link KeygatePrincipal}. */
  public static final String PRINCIPAL_ATTRIBUTE = "dev.keygate.principal";

  /** The default servlet-context attribute where a declarative filter looks for its engine. */
  public static final String ENGINE_ATTRIBUTE = "dev.keygate.engine";

  private static final Logger LOG = LoggerFactory.getLogger(KeygateFilter.class);
  private static final Refused UNAVAILABLE = new Refused(Refusal.UNAVAILABLE, 1, Set.of(), "");

  private final boolean programmatic;
  private volatile @Nullable Settings settings;

  /** For containers: a filter configured by its init-parameters in {@link #init}. */
  public KeygateFilter() {
    this.programmatic = false;
  }

  private KeygateFilter(Settings settings) {
    this.programmatic = true;
    this.settings = settings;
  }

  /**
   * A builder for a filter around {@code keygate}'s engine; the caller keeps {@code keygate} and
   * closes it.
   *
   * @param keygate what verifies the keys
   * @return a builder with every filter setting at its default
   * @throws NullPointerException if {@code keygate} is null
   */
  public static Builder builder(Keygate keygate) {
    return builder(Objects.requireNonNull(keygate, "keygate").engine());
  }

  /**
   * A builder for a filter around {@code engine} (what {@link Keygate#engine()} returns), which
   * the caller keeps and closes.
   *
   * @param engine what verifies the keys
   * @return a builder with every filter setting at its default
   * @throws NullPointerException if {@code engine} is null
   */
  public static Builder builder(AuthenticationEngine engine) {
    return new Builder(Objects.requireNonNull(engine, "engine"));
  }

  /**
   * Reads the init-parameters and finds the engine, unless the filter was built programmatically.
   *
   * @throws ServletException if an init-parameter is unknown or invalid, no engine can be found,
   *     or a programmatically built filter is given init-parameters
   */
  @Override
  public void init(FilterConfig config) throws ServletException {
    if (programmatic) {
      if (config.getInitParameterNames().hasMoreElements()) {
        throw new ServletException("KeygateFilter '" + config.getFilterName()
            + "' was built programmatically and takes no init-parameters; got "
            + Collections.list(config.getInitParameterNames()));
      }
      return;
    }
    settings = DeclarativeConfig.read(config);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    // a container hands an HTTP filter HTTP requests only; another kind arrives just when an earlier
    // filter wrapped the request in a plain ServletRequestWrapper. Keygate cannot read its headers,
    // so it must not pass it on unauthenticated: a misconfiguration, answered like one (503)
    // without this check the cast would fail all the same (a ClassCastException): it names the problem
    if (!(response instanceof HttpServletResponse res)) {
      throw new ServletException("KeygateFilter handles HTTP responses only, got "
          + response.getClass().getName() + "; a filter before it must wrap responses in an HttpServletResponseWrapper");
    }
    if (!(request instanceof HttpServletRequest req)) {
      LOG.error("KeygateFilter handles HTTP requests only, got {}; a filter before it must wrap requests"
          + " in an HttpServletRequestWrapper; answering 503", request.getClass().getName());
      refuse(res, UNAVAILABLE);
      return;
    }
    Settings s = settings;
    if (s == null) {
      LOG.error("KeygateFilter used before init(); answering 503");
      refuse(res, UNAVAILABLE);
      return;
    }
    if (req.getDispatcherType() != DispatcherType.REQUEST) {
      // the REQUEST dispatch decided; later dispatches only see its principal again
      Object known = req.getAttribute(s.principalAttribute());
      chain.doFilter(known instanceof KeygatePrincipal p ? new AuthenticatedRequest(req, p) : req, res);
      return;
    }
    String path = pathInContext(req);
    if (s.isPublic(path) || (s.allowPreflight() && isPreflight(req))) {
      chain.doFilter(req, res);
      return;
    }
    AuthenticationResult result = decide(s, req, path);
    if (result instanceof Refused refused) {
      refuse(res, refused);
    } else if (result instanceof Authenticated authenticated) {
      KeygatePrincipal principal = authenticated.principal();
      req.setAttribute(s.principalAttribute(), principal);
      chain.doFilter(new AuthenticatedRequest(req, principal), res);
    } else if (result instanceof Deferred) {
      // only reached with deferBearerTokens and no scope rule here (see decide); the result type is
      // sealed, so this test is always true (an equivalent mutant, listed as such)
      chain.doFilter(req, res);
    }
  }

  /**
   * Authentication, then the first matching scope rule; never throws. {@link Deferred} comes back
   * only when the application opted in and no scope rule applies; otherwise it becomes the engine's
   * invalid-Bearer refusal.
   */
  private static AuthenticationResult decide(Settings s, HttpServletRequest req, String path) {
    try {
      AuthenticationEngine engine = s.engine();
      AuthenticationResult result = engine.authenticate(AuthenticationRequest.of(
          name -> headerValues(req, name), engine.apiKeyHeaders(), req::getRemoteAddr, req.isSecure()));
      if (result instanceof Authenticated a) {
        for (EnvironmentRule e : s.environmentRules()) {
          if (e.matches(req.getMethod(), path)) {
            Optional<Refused> denied = engine.authorizeEnvironment(a.principal(), e.environment());
            if (denied.isPresent()) {
              return denied.get();
            }
          }
        }
        ScopeRule rule = s.ruleFor(req.getMethod(), path);
        if (rule != null) {
          Optional<Refused> denied = engine.authorize(a.principal(), rule.allOf(), rule.anyOf());
          if (denied.isPresent()) {
            return denied.get();
          }
        }
      } else if (result instanceof Deferred
          && (!s.deferBearerTokens() || s.ruleFor(req.getMethod(), path) != null
              || s.hasEnvironmentRule(req.getMethod(), path))) {
        // closed by default; and a token nobody verified cannot be checked against a rule's scopes
        // or environment
        return engine.invalidBearerToken();
      }
      return result;
    } catch (RuntimeException e) {
      LOG.error("KeygateFilter failed unexpectedly; answering 503", e);
      return UNAVAILABLE;
    }
  }

  private static List<String> headerValues(HttpServletRequest req, String name) {
    Enumeration<String> values = req.getHeaders(name);
    // null where a container denies access to headers (the servlet spec allows it): no credential
    return values == null ? List.of() : Collections.list(values);
  }

  /** The path within the application, as servlet mappings and security constraints see it. */
  static String pathInContext(HttpServletRequest req) {
    String servletPath = req.getServletPath();
    String pathInfo = req.getPathInfo();
    // the spec makes the servlet path "" rather than null, and one part starts with '/' whatever the
    // mapping; a wrapper from an earlier filter may still answer otherwise
    String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    return path.isEmpty() ? "/" : path;
  }

  private static boolean isPreflight(HttpServletRequest req) {
    return "OPTIONS".equals(req.getMethod()) && req.getHeader("Origin") != null
        && req.getHeader("Access-Control-Request-Method") != null;
  }

  private static void refuse(HttpServletResponse res, Refused refused) throws IOException {
    Refusals.write(res, refused);
  }

  /** Closes the engine when this filter built it from a {@link KeygateEngineFactory}. */
  @Override
  public void destroy() {
    Settings s = settings;
    if (s != null && s.ownsEngine()) {
      s.engine().close();
    }
  }

  @Override
  public String toString() {
    Settings s = settings;
    return s == null ? "KeygateFilter[not initialised]" : "KeygateFilter[" + s + "]";
  }

  /** What a filter does, fixed when it is built or initialised. */
  record Settings(AuthenticationEngine engine, List<PathPattern> publicPaths, boolean allowPreflight,
      List<ScopeRule> rules, List<EnvironmentRule> environmentRules, boolean deferBearerTokens,
      String principalAttribute, boolean ownsEngine) {
    boolean hasEnvironmentRule(String method, String path) {
      for (EnvironmentRule e : environmentRules) {
        if (e.matches(method, path)) {
          return true;
        }
      }
      return false;
    }

    boolean isPublic(String path) {
      for (PathPattern p : publicPaths) {
        if (p.matches(path)) {
          return true;
        }
      }
      return false;
    }

    @Nullable ScopeRule ruleFor(String method, String path) {
      for (ScopeRule r : rules) {
        if (r.matches(method, path)) {
          return r;
        }
      }
      return null;
    }

    @Override
    public String toString() {
      return "publicPaths=" + publicPaths + ", allowPreflight=" + allowPreflight + ", rules=" + rules
          + ", environmentRules=" + environmentRules + ", deferBearerTokens=" + deferBearerTokens + ", principalAttribute=" + principalAttribute
          + ", " + engine;
    }
  }

  /**
   * Configures a {@link KeygateFilter}. Each setting is checked as it is given; {@link #build()}
   * may be called more than once.
   */
  public static final class Builder {
    private final AuthenticationEngine engine;
    private final List<PathPattern> publicPaths = new ArrayList<>();
    private final List<ScopeRule> rules = new ArrayList<>();
    private final List<EnvironmentRule> environmentRules = new ArrayList<>();
    private @Nullable Boolean allowPreflight;
    private @Nullable Boolean deferBearerTokens;
    private @Nullable String principalAttribute;
    private boolean ownsEngine;

    private Builder(AuthenticationEngine engine) {
      this.engine = engine;
    }

    /**
     * Adds paths left open: no credential is asked for or checked there.
     *
     * @param patterns {@code /exact}, {@code /prefix/*}, {@code *.ext} or {@code /*}
     * @return this builder
     * @throws IllegalArgumentException if a pattern has another form
     */
    public Builder publicPaths(String... patterns) {
      for (String p : patterns) {
        publicPaths.add(PathPattern.parse(p));
      }
      return this;
    }

    /**
     * Whether CORS preflight requests ({@code OPTIONS} with {@code Origin} and {@code
     * Access-Control-Request-Method}) pass through unauthenticated; default false. Browsers
     * send no credentials on a preflight, so an API called from browsers needs this (and a CORS
     * filter or servlet to answer it).
     *
     * @param allow whether preflight requests pass without credentials
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder allowPreflight(boolean allow) {
      if (allowPreflight != null) {
        throw new IllegalStateException("allowPreflight was already set to " + allowPreflight);
      }
      this.allowPreflight = allow;
      return this;
    }

    /**
     * Whether an {@code Authorization: Bearer} token that the engine cannot check (it has no {@link
     * dev.keygate.BearerTokenAuthenticator}) is handed to the application; default false, and then
     * such a request is refused 401 {@code Invalid bearer token.} like any credential Keygate
     * cannot accept.
     *
     * <p>With {@code true}, such a request continues the chain <em>unauthenticated</em> (no
     * principal, {@code getUserPrincipal()} is null) and the application must verify the token
     * itself, but only where the filter has nothing to enforce: a request to which a {@link
     * ScopeRule} applies (the first rule matching its method and path, as for API keys; an empty
     * rule such as {@code /me=} counts) is still refused 401 {@code Invalid bearer token.}, since
     * the filter cannot check the scopes of a token it has not verified. An API-key header still
     * wins over the token, and an engine with a {@code BearerTokenAuthenticator} decides every
     * token itself, so this setting then changes nothing.
     *
     * @param defer whether such requests continue unauthenticated
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder deferBearerTokens(boolean defer) {
      if (deferBearerTokens != null) {
        throw new IllegalStateException("deferBearerTokens was already set to " + deferBearerTokens);
      }
      this.deferBearerTokens = defer;
      return this;
    }

    /**
     * Adds a scope rule; rules are tried in the order added and the first match applies.
     *
     * @param rule the rule
     * @return this builder
     */
    public Builder scopeRule(ScopeRule rule) {
      rules.add(Objects.requireNonNull(rule, "rule"));
      return this;
    }

    /**
     * Adds a scope rule in text form, such as {@code GET /orders/*=orders.read} (see {@link
     * ScopeRule#parse}).
     *
     * @param rule the rule in its text form ({@link ScopeRule#parse})
     * @return this builder
     * @throws IllegalArgumentException if the rule is invalid
     */
    public Builder scopeRule(String rule) {
      return scopeRule(ScopeRule.parse(rule));
    }

    /**
     * Accepts only keys of {@code environment} on {@code pattern}, for every method: a key of
     * another environment (or a credential of none, such as a Bearer token) is refused 403 {@code
     * This endpoint does not accept keys of this environment.} with {@code required_environment}.
     * Every environment rule matching a request applies, before its scope rule.
     *
     * @param pattern {@code /exact}, {@code /prefix/*}, {@code *.ext} or {@code /*}
     * @param environment the environment accepted, one of the key format's when it binds any
     *     ({@code KeyFormat.withEnvironments})
     * @return this builder
     * @throws IllegalArgumentException if the pattern has another form, or the environment is
     *     blank, padded, longer than 64 characters or not one of the key format's environments
     */
    public Builder requireEnvironment(String pattern, String environment) {
      return environmentRule(EnvironmentRule.of(pattern, environment));
    }

    /**
     * Adds an environment rule in text form: {@code [METHODS] PATTERN=ENVIRONMENT}, e.g. {@code
     * POST,PUT /payouts/*=live} (methods as in {@link ScopeRule#parse}); see {@link
     * #requireEnvironment(String, String)}.
     *
     * @param rule the rule in its text form
     * @return this builder
     * @throws IllegalArgumentException if the text does not follow that form, or its method,
     *     pattern or environment is invalid
     */
    public Builder environmentRule(String rule) {
      return environmentRule(EnvironmentRule.parse(rule));
    }

    private Builder environmentRule(EnvironmentRule rule) {
      List<String> known = engine.format().environments();
      if (!known.isEmpty() && !known.contains(rule.environment())) {
        throw new IllegalArgumentException("environment rule '" + rule + "': '" + rule.environment()
            + "' is not one of the key format's environments " + known);
      }
      environmentRules.add(rule);
      return this;
    }

    /**
     * The request attribute holding the principal; default {@value KeygateFilter#PRINCIPAL_ATTRIBUTE}.
     *
     * @param name the attribute name
     * @return this builder
     * @throws IllegalArgumentException if blank
     * @throws IllegalStateException if already set
     */
    public Builder principalAttribute(String name) {
      if (Objects.requireNonNull(name, "name").isBlank()) {
        throw new IllegalArgumentException("principalAttribute must not be blank");
      }
      if (principalAttribute != null) {
        throw new IllegalStateException("principalAttribute was already set to " + principalAttribute);
      }
      this.principalAttribute = name.strip();
      return this;
    }

    /** Marks the engine as the filter's, to close in {@link KeygateFilter#destroy()}. */
    Builder ownsEngine() {
      this.ownsEngine = true;
      return this;
    }

    /** Closes the engine if the filter owns it (its configuration failed). */
    void discard() {
      if (ownsEngine) {
        engine.close();
      }
    }

    Settings settings() {
      return new Settings(engine, List.copyOf(publicPaths), allowPreflight != null && allowPreflight,
          List.copyOf(rules), List.copyOf(environmentRules), deferBearerTokens != null && deferBearerTokens, principalAttribute != null ? principalAttribute : PRINCIPAL_ATTRIBUTE,
          ownsEngine);
    }

    /**
     * The filter.
     *
     * @return the filter
     */
    public KeygateFilter build() {
      return new KeygateFilter(settings());
    }
  }
}
