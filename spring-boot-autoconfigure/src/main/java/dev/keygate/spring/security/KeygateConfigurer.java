package dev.keygate.spring.security;

import dev.keygate.AuthenticationEngine;
import dev.keygate.KeygatePrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.annotation.web.configurers.FormLoginConfigurer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.savedrequest.NullRequestCache;
import dev.keygate.servlet.PathPattern;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Authenticates API keys inside a Spring Security filter chain:
 *
 * <pre>{@code
 * http.authorizeHttpRequests(a -> a.anyRequest().authenticated())
 *     .with(KeygateConfigurer.keygate(), Customizer.withDefaults());
 * }</pre>
 *
 * <p>It adds a {@link KeygateAuthenticationFilter} before the chain's own authentication filters
 * (form login, Basic, Bearer), answers unauthenticated and forbidden requests with Keygate's
 * response table ({@link KeygateRefusalHandler}), exempts from CSRF protection the requests
 * carrying an API-key header on the paths it checks (a header no browser adds by itself; the key
 * is checked all the same) and those carrying no ambient credential (no cookie, no {@code
 * Authorization} but Bearer), and, in a chain without a login page (form, OAuth2 or SAML login),
 * saves no refused request for after a login, so a refusal creates no session. A
 * key's scopes become {@code SCOPE_} authorities ({@link ScopeAuthorities}), so {@code
 * hasAuthority("SCOPE_orders.read")} and {@code @PreAuthorize} work unchanged. The engine is the
 * application context's {@link AuthenticationEngine} unless {@link #engine} names one; the
 * authorities mapping is the context's {@link ScopeAuthorities} bean, else the key's scopes as
 * they are.
 */
public final class KeygateConfigurer extends AbstractHttpConfigurer<KeygateConfigurer, HttpSecurity> {
  private static final List<String> LOGIN_CONFIGURERS = List.of(
      "org.springframework.security.config.annotation.web.configurers.oauth2.client.OAuth2LoginConfigurer",
      "org.springframework.security.config.annotation.web.configurers.saml2.Saml2LoginConfigurer");

  private @Nullable AuthenticationEngine engine;
  private @Nullable Function<KeygatePrincipal, ? extends Collection<? extends GrantedAuthority>> authorities;
  private final List<String> ignored = new ArrayList<>();

  private KeygateConfigurer() {}

  /**
   * A configurer for {@code http.with(keygate(), Customizer.withDefaults())}.
   *
   * @return a new configurer
   */
  public static KeygateConfigurer keygate() {
    return new KeygateConfigurer();
  }

  /**
   * The engine to ask (default: the application context's).
   *
   * @param engine the engine
   * @return this configurer
   */
  public KeygateConfigurer engine(AuthenticationEngine engine) {
    this.engine = Objects.requireNonNull(engine, "engine");
    return this;
  }

  /**
   * How a principal's authorities are computed (default: {@link ScopeAuthorities}).
   *
   * @param authorities the mapping
   * @return this configurer
   */
  public KeygateConfigurer authorities(Function<KeygatePrincipal, ? extends Collection<? extends GrantedAuthority>> authorities) {
    this.authorities = Objects.requireNonNull(authorities, "authorities");
    return this;
  }

  /**
   * Paths Keygate leaves alone, in the servlet filter's syntax ({@code /health}, {@code /docs/*}
   * for everything under {@code /docs}, {@code *.css}; see {@link #paths}): no key is checked
   * there, and whether they are open is the chain's {@code authorizeHttpRequests}.
   *
   * @param patterns path patterns
   * @return this configurer
   */
  public KeygateConfigurer ignoring(String... patterns) {
    ignored.addAll(List.of(patterns));
    return this;
  }

  @Override
  public void init(HttpSecurity http) {
    ApplicationContext context = http.getSharedObject(ApplicationContext.class);
    KeygateRefusalHandler bean = context == null ? null
        : context.getBeanProvider(KeygateRefusalHandler.class).getIfAvailable();
    KeygateRefusalHandler refusals = bean != null ? bean : new KeygateRefusalHandler(engine(http));
    http.exceptionHandling(e -> e.authenticationEntryPoint(refusals).accessDeniedHandler(refusals));
    CsrfConfigurer<HttpSecurity> csrf = http.getConfigurer(CsrfConfigurer.class);
    if (csrf != null) {
      // exempt what Keygate decides: a key's request on a path it does not ignore (there an
      // invalid key is refused 401, so a bogus header cannot carry a forged request through)
      List<RequestMatcher> headers = new ArrayList<>();
      engine(http).apiKeyHeaders().forEach(h -> headers.add(new RequestHeaderRequestMatcher(h)));
      RequestMatcher withKey = new OrRequestMatcher(headers);
      RequestMatcher skipped = paths(ignored);
      csrf.ignoringRequestMatchers(request -> (withKey.matches(request) && !skipped.matches(request))
          || carriesNoAmbientCredential(request));
    }
    if (!hasLogin(http)) {
      // no login page to return to: a refused request is not saved, so it creates no session
      http.requestCache(c -> c.requestCache(new NullRequestCache()));
    }
  }

  @Override
  public void configure(HttpSecurity http) {
    AuthenticationEngine e = engine(http);
    Function<KeygatePrincipal, ? extends Collection<? extends GrantedAuthority>> mapping = authorities;
    if (mapping == null) {
      ApplicationContext context = http.getSharedObject(ApplicationContext.class);
      ScopeAuthorities scopes = context == null ? null : context.getBeanProvider(ScopeAuthorities.class).getIfAvailable();
      mapping = (scopes != null ? scopes : ScopeAuthorities.of(List.of()))::authorities;
    }
    RequestMatcher skip = paths(ignored);
    SecurityContextHolderStrategy strategy = http.getSharedObject(SecurityContextHolderStrategy.class);
    http.addFilterBefore(postProcess(new KeygateAuthenticationFilter(e, mapping, skip, strategy)),
        UsernamePasswordAuthenticationFilter.class);
  }

  /**
   * Whether a request carries nothing a browser would add by itself: no cookie, and no {@code
   * Authorization} but a Bearer token. A forged cross-site request can only ride on such ambient
   * credentials, so there is nothing for CSRF protection to protect (and checking would create a
   * session to keep a token in).
   */
  static boolean carriesNoAmbientCredential(HttpServletRequest request) {
    if (request.getHeader("Cookie") != null) {
      return false;
    }
    String authorization = request.getHeader("Authorization");
    return authorization == null || authorization.regionMatches(true, 0, "Bearer ", 0, 7);
  }

  /** Whether the chain signs users in with a page they would return from (form, OAuth2 or SAML login). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static boolean hasLogin(HttpSecurity http) {
    if (http.getConfigurer(FormLoginConfigurer.class) != null) {
      return true;
    }
    for (String name : LOGIN_CONFIGURERS) {
      try {
        Class type = Class.forName(name, false, KeygateConfigurer.class.getClassLoader());
        if (http.getConfigurer(type) != null) {
          return true;
        }
      } catch (ClassNotFoundException | LinkageError absent) {
        // that kind of login is not on the class path, so not in this chain
      }
    }
    return false;
  }

  /**
   * A request matcher for path patterns in the servlet filter's syntax ({@code /exact}, {@code
   * /prefix/*} for everything under {@code /prefix}, {@code *.ext}, {@code /*}), matched against the
   * path within the application: what {@code keygate.public-paths} means with and without Spring
   * Security.
   *
   * @param patterns the patterns
   * @return a matcher of any of them (of nothing when empty)
   * @throws IllegalArgumentException if a pattern is not in one of the four forms
   */
  public static RequestMatcher paths(Collection<String> patterns) {
    List<PathPattern> parsed = patterns.stream().map(PathPattern::parse).toList();
    return request -> {
      for (PathPattern p : parsed) {
        if (p.matches(request)) {
          return true;
        }
      }
      return false;
    };
  }

  private AuthenticationEngine engine(HttpSecurity http) {
    if (engine == null) {
      ApplicationContext context = http.getSharedObject(ApplicationContext.class);
      if (context == null) {
        throw new IllegalStateException("KeygateConfigurer: no ApplicationContext to find the AuthenticationEngine "
            + "in; name it with KeygateConfigurer.keygate().engine(...)");
      }
      engine = context.getBean(AuthenticationEngine.class);
    }
    return engine;
  }

  @Override
  public String toString() {
    return "KeygateConfigurer[ignoring=" + ignored + "]";
  }
}
