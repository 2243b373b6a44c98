package dev.keygate.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.KeygatePrincipal;
import dev.keygate.servlet.KeygateFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /servlet/whoami}: a plain servlet behind {@link KeygateFilter}. It answers only an
 * authenticated request: should a request arrive without a Keygate principal (a filter that hands
 * Bearer tokens to the application, say), it is refused 401 like the filter refuses, never served
 * as somebody and never a 500.
 */
final class WhoAmIServlet extends HttpServlet {
  private final transient AuthenticationEngine engine;
  private final transient ObjectMapper mapper = new ObjectMapper();

  WhoAmIServlet(AuthenticationEngine engine) {
    this.engine = engine;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (!(req.getUserPrincipal() instanceof KeygatePrincipal p)) {
      String authorization = req.getHeader("Authorization");
      refuse(resp, authorization != null && authorization.strip().toLowerCase(Locale.ROOT).startsWith("bearer")
          ? engine.invalidBearerToken() : engine.missingCredentials());
      return;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("auth_type", req.getAuthType());
    out.put("subject", p.getName());
    out.put("organization", p.owner());
    out.put("scopes", p.scopes());
    out.put("is_keys_admin", req.isUserInRole(SignupResource.ADMIN_SCOPE));
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    mapper.writeValue(resp.getOutputStream(), out);
  }

  private static void refuse(HttpServletResponse resp, Refused refused) throws IOException {
    resp.setStatus(refused.status());
    refused.headers().forEach(resp::setHeader);
    resp.getOutputStream().write(refused.body().getBytes(StandardCharsets.UTF_8));
  }
}
