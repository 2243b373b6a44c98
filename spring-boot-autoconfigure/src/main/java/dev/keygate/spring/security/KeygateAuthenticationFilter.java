package dev.keygate.spring.security;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.KeygatePrincipal;
import dev.keygate.Refusal;
import dev.keygate.servlet.Refusals;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keygate inside Spring Security's chain (added by {@link KeygateConfigurer}). The engine decides
 * every request that is not ignored:
 *
 * <ul>
 *   <li>authenticated: a {@link KeygateAuthenticationToken} goes in the {@code SecurityContext}
 *       (for this request and its error dispatch only; nothing is saved in a session), and a key's request reaches the
 *       rest of the chain without its {@code Authorization} header, so no later filter (the OAuth2
 *       resource server) can replace the key's decision with a token's;
 *   <li>no credentials, or a Bearer token the engine leaves to the application: the chain goes on
 *       unauthenticated, and Spring Security decides (a JWT resource server, {@code permitAll}, or
 *       the entry point's 401);
 *   <li>any other refusal (invalid, expired or revoked key, IP not allowed, rate limited, HTTPS
 *       required, store unavailable): answered at once from Keygate's response table; an invalid
 *       key never falls back to a token.
 * </ul>
 */
public final class KeygateAuthenticationFilter extends OncePerRequestFilter {
  private static final Logger LOG = LoggerFactory.getLogger(KeygateAuthenticationFilter.class);

  private final AuthenticationEngine engine;
  private final Function<KeygatePrincipal, ? extends java.util.Collection<? extends GrantedAuthority>> authorities;
  private final RequestMatcher ignored;
  private final SecurityContextHolderStrategy contexts;
  private final RequestAttributeSecurityContextRepository requestContexts = new RequestAttributeSecurityContextRepository();

  KeygateAuthenticationFilter(AuthenticationEngine engine,
      Function<KeygatePrincipal, ? extends java.util.Collection<? extends GrantedAuthority>> authorities,
      RequestMatcher ignored, @Nullable SecurityContextHolderStrategy contexts) {
    this.engine = engine;
    this.authorities = authorities;
    this.ignored = ignored;
    this.contexts = contexts != null ? contexts : SecurityContextHolder.getContextHolderStrategy();
  }

  @Override
  protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws ServletException, IOException {
    if (ignored.matches(req)
        || (req.getDispatcherType() == DispatcherType.ERROR && contexts.getContext().getAuthentication() != null)) {
      chain.doFilter(req, res); // left alone, or the error dispatch of a request already decided
      return;
    }
    AuthenticationResult result;
    try {
      result = engine.authenticate(AuthenticationRequest.of(name -> headerValues(req, name), engine.apiKeyHeaders(),
          req::getRemoteAddr, req.isSecure()));
    } catch (RuntimeException e) { // the engine never throws; a broken request wrapper might
      LOG.error("Keygate could not read the request; answering 503", e);
      Refusals.write(res, new Refused(Refusal.UNAVAILABLE, 0, java.util.Set.of(), ""));
      return;
    }
    if (result instanceof Authenticated a) {
      KeygatePrincipal principal = a.principal();
      SecurityContext context = contexts.createEmptyContext();
      context.setAuthentication(new KeygateAuthenticationToken(principal, authorities.apply(principal)));
      contexts.setContext(context);
      // in a request attribute, never a session: an error dispatch of this request (a controller
      // that throws) is still this key's, and answers 500, not a misleading 401
      requestContexts.saveContext(context, req, res);
      try {
        chain.doFilter(principal.keyId() != null ? new WithoutAuthorization(req) : req, res);
      } finally {
        contexts.clearContext();
      }
    } else if (result instanceof Refused r && r.reason() != Refusal.MISSING_CREDENTIALS) {
      Refusals.write(res, r);
    } else {
      chain.doFilter(req, res); // nothing presented, or a Bearer token for Spring Security to judge
    }
  }

  /**
   * An error dispatch is filtered when this filter has not seen the request yet (the container
   * refused it before any filter ran, a {@code TRACE} say): the key still decides who sees the error.
   * After a request this filter saw, the dispatch finds the context in the request attribute.
   */
  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false;
  }

  private static List<String> headerValues(HttpServletRequest req, String name) {
    Enumeration<String> values = req.getHeaders(name);
    return values == null ? List.of() : Collections.list(values);
  }

  @Override
  public String toString() {
    return "KeygateAuthenticationFilter[" + engine.apiKeyHeaders() + "]";
  }

  /** The request as a key decided it: its Authorization header is not for anyone after Keygate. */
  private static final class WithoutAuthorization extends HttpServletRequestWrapper {
    WithoutAuthorization(HttpServletRequest request) {
      super(request);
    }

    private static boolean hidden(String name) {
      return HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name);
    }

    @Override
    public @Nullable String getHeader(String name) {
      return hidden(name) ? null : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return hidden(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      List<String> names = Collections.list(super.getHeaderNames());
      names.removeIf(WithoutAuthorization::hidden);
      return Collections.enumeration(names);
    }
  }
}
