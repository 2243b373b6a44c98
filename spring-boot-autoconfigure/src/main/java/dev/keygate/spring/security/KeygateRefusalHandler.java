package dev.keygate.spring.security;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.Refusal;
import dev.keygate.servlet.Refusals;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * Spring Security's refusals in Keygate's response table: an unauthenticated request to a
 * protected route gets the engine's 401 with its {@code WWW-Authenticate} challenge (or the
 * invalid-Bearer 401 when it carried a Bearer token nobody accepted), a forbidden one the 403
 * insufficient-scope row with the scopes the rule asked for, or, when the rule asked for a {@code
 * KEYGATE_ENVIRONMENT_} authority the caller lacks, the 403 of a key of another environment with
 * {@code required_environment}. {@link KeygateConfigurer} installs
 * the context's bean of this type (the auto-configuration defines one), else its own.
 */
public final class KeygateRefusalHandler implements AuthenticationEntryPoint, AccessDeniedHandler {
  private static final String CSRF_BODY = "{\"detail\":\"Invalid or missing CSRF token.\"}";
  private static final Pattern SCOPE = Pattern.compile(ScopeAuthorities.PREFIX + "([A-Za-z0-9._:*-]+)");
  private static final Pattern ENVIRONMENT =
      Pattern.compile(ScopeAuthorities.ENVIRONMENT_PREFIX + "([^\\s'\",\\])]+)");
  private final AuthenticationEngine engine;

  /**
   * Handlers answering for {@code engine}.
   *
   * @param engine the engine whose challenges are sent
   */
  public KeygateRefusalHandler(AuthenticationEngine engine) {
    this.engine = engine;
  }

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    boolean bearer = authorization != null && authorization.toLowerCase(Locale.ROOT).startsWith("bearer ");
    Refused refused = bearer ? engine.invalidBearerToken() : engine.missingCredentials();
    Refusals.write(response, refused);
  }

  /**
   * Answers a request Spring Security refused (the chain's rules or method security): Keygate's
   * 403 row, naming the scopes the decision asked for, counted in the engine's figures. An
   * application whose own {@code @ExceptionHandler} catches {@link AccessDeniedException} before
   * Spring Security sees it can hand it here.
   *
   * @param request the request
   * @param response the response to write
   * @param e the refusal
   * @throws IOException if the body cannot be written
   */
  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    if (e instanceof CsrfException) {
      Authentication who = SecurityContextHolder.getContext().getAuthentication();
      if (who == null || who instanceof AnonymousAuthenticationToken || !who.isAuthenticated()) {
        // nobody signed in: what the request lacks is a credential, not a token for a session
        engine.recordRefusal(Refusal.MISSING_CREDENTIALS);
        Refusals.write(response, engine.missingCredentials());
      } else {
        // a signed-in session's request without a valid CSRF token: 403, and no scope is to blame
        Refusals.write(response, HttpServletResponse.SC_FORBIDDEN,
            Map.of("Content-Type", "application/json", "Cache-Control", "no-store"), CSRF_BODY);
      }
      return;
    }
    String environment = missingEnvironment(e, SecurityContextHolder.getContext().getAuthentication());
    if (environment != null) {
      engine.recordRefusal(Refusal.ENVIRONMENT_NOT_ALLOWED);
      Refusals.write(response, Refused.environmentNotAllowed(environment));
      return;
    }
    engine.recordRefusal(Refusal.INSUFFICIENT_SCOPE); // Spring decided it; the engine's figures count it
    Refusals.write(response, Refused.insufficientScope(requiredScopes(e)));
  }

  /**
   * The first environment the decision names as a {@code KEYGATE_ENVIRONMENT_} authority that
   * {@code who} does not hold, or null: then the refusal is for a scope.
   */
  static @Nullable String missingEnvironment(AccessDeniedException e, @Nullable Authentication who) {
    Matcher m = ENVIRONMENT.matcher(decisionText(e));
    while (m.find()) {
      String authority = ScopeAuthorities.ENVIRONMENT_PREFIX + m.group(1);
      boolean held = who != null && who.getAuthorities().stream().anyMatch(a -> authority.equals(a.getAuthority()));
      if (!held) {
        return m.group(1);
      }
    }
    return null;
  }

  /** What a {@code hasAuthority} rule or a {@code @PreAuthorize} expression says, or "". */
  private static String decisionText(AccessDeniedException e) {
    AuthorizationResult result = e instanceof AuthorizationDeniedException denied ? denied.getAuthorizationResult() : null;
    String text = null;
    if (result instanceof AuthorityAuthorizationDecision a) {
      text = a.getAuthorities().toString();
    } else if (result instanceof ExpressionAuthorizationDecision x) {
      text = x.getExpression().getExpressionString();
    }
    return text == null ? "" : text;
  }

  /**
   * The scopes a refusal asked for: those of the {@code SCOPE_} authorities of a {@code
   * hasAuthority}/{@code hasAnyAuthority} rule, or named as {@code 'SCOPE_x'} in a {@code
   * @PreAuthorize} expression; empty when the decision names none.
   *
   * @param e the refusal
   * @return the scopes, in the order the decision names them
   */
  static Set<String> requiredScopes(AccessDeniedException e) {
    AuthorizationResult result = e instanceof AuthorizationDeniedException denied ? denied.getAuthorizationResult() : null;
    String text;
    if (result instanceof AuthorityAuthorizationDecision a) {
      text = a.getAuthorities().toString();
    } else if (result instanceof ExpressionAuthorizationDecision x) {
      text = x.getExpression().getExpressionString();
    } else {
      return Set.of();
    }
    Set<String> scopes = new LinkedHashSet<>();
    Matcher m = SCOPE.matcher(text == null ? "" : text);
    while (m.find()) {
      scopes.add(m.group(1));
    }
    return scopes;
  }

  @Override
  public String toString() {
    return "KeygateRefusalHandler[" + Refusal.MISSING_CREDENTIALS.status() + "/" + Refusal.INSUFFICIENT_SCOPE.status() + "]";
  }
}
