package dev.keygate.spring.security;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.Refusal;
import dev.keygate.servlet.Refusals;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Spring Security's refusals in Keygate's response table: an unauthenticated request to a
 * protected route gets the engine's 401 with its {@code WWW-Authenticate} challenge (or the
 * invalid-Bearer 401 when it carried a Bearer token nobody accepted), a forbidden one the 403
 * insufficient-scope row.
 */
public final class KeygateRefusalHandler implements AuthenticationEntryPoint, AccessDeniedHandler {
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

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    engine.recordRefusal(Refusal.INSUFFICIENT_SCOPE); // Spring decided it; the engine's figures count it
    Refusals.write(response, Refused.insufficientScope(Set.of()));
  }

  @Override
  public String toString() {
    return "KeygateRefusalHandler[" + Refusal.MISSING_CREDENTIALS.status() + "/" + Refusal.INSUFFICIENT_SCOPE.status() + "]";
  }
}
