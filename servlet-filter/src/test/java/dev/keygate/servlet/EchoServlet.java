package dev.keygate.servlet;

import dev.keygate.KeygatePrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Answers every method with 200 and what the request says about its caller, one {@code
 * name=value} per line; {@code ?role=x} asks {@code isUserInRole(x)} ({@code ?nullRole} asks
 * {@code isUserInRole(null)}), {@code ?attr=name} reads another principal attribute.
 */
public class EchoServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    write(req, resp);
  }

  static void write(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Principal p = req.getUserPrincipal();
    String attrName = req.getParameter("attr") != null ? req.getParameter("attr") : KeygateFilter.PRINCIPAL_ATTRIBUTE;
    Object attr = req.getAttribute(attrName);
    StringBuilder out = new StringBuilder()
        .append("principal=").append(p == null ? "none" : p.getName()).append('\n')
        .append("authType=").append(req.getAuthType()).append('\n')
        .append("remoteUser=").append(req.getRemoteUser()).append('\n')
        .append("attribute=").append(attr instanceof KeygatePrincipal kp ? kp.getName() : "none").append('\n')
        .append("path=").append(req.getServletPath()).append(req.getPathInfo() == null ? "" : req.getPathInfo())
        .append('\n');
    String[] roles = req.getParameterValues("role");
    if (roles != null) {
      for (String role : roles) {
        out.append("role:").append(role).append('=').append(req.isUserInRole(role)).append('\n');
      }
    }
    if (req.getParameter("nullRole") != null) {
      out.append("role:null=").append(req.isUserInRole(null)).append('\n');
    }
    resp.setStatus(200);
    resp.setContentType("text/plain;charset=utf-8");
    resp.getOutputStream().write(out.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Reads what {@link #write} wrote. */
  static Map<String, String> parse(String body) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        m.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return m;
  }
}
