package dev.keygate.management;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * The management API as a servlet filter, for a base path the application's own routes share
 * ({@code /api/v1}: the API answers {@code /api/v1/keys}, the application {@code /api/v1/orders}):
 * a request to one of the API's routes ({@link KeyManagement#owns}) below the base is answered
 * here, every other request goes on down the chain untouched. Map it to {@code <base>/*}. Like
 * {@link KeyManagementServlet}, it authenticates callers itself.
 */
public final class KeyManagementFilter implements Filter {
  private final String base;
  private final KeyManagement management;

  private KeyManagementFilter(String base, KeyManagement management) {
    this.base = base;
    this.management = management;
  }

  /**
   * A filter answering the API's routes below {@code base}.
   *
   * @param base the base path within the application, such as {@code /api/v1}
   * @param management the API
   * @return the filter
   * @throws IllegalArgumentException if {@code base} is not an absolute path without a trailing slash
   */
  public static KeyManagementFilter at(String base, KeyManagement management) {
    Objects.requireNonNull(management, "management");
    if (!base.startsWith("/") || base.endsWith("/") || base.contains("//") || base.contains("*")) {
      throw new IllegalArgumentException("base must be an absolute path without a trailing slash, such as /api/v1, not "
          + base);
    }
    return new KeyManagementFilter(base, management);
  }

  /**
   * The API's path below the base for a path within the application, or null when the API does
   * not answer it.
   *
   * @param pathInApplication servlet path plus path info
   * @return the path below the base, or null
   */
  String routeOf(String pathInApplication) {
    if (pathInApplication.length() <= base.length() || !pathInApplication.startsWith(base)
        || pathInApplication.charAt(base.length()) != '/') {
      return null;
    }
    String rest = pathInApplication.substring(base.length());
    return management.answers(rest) ? rest : null;
  }

  /**
   * Whether this filter answers {@code request} itself.
   *
   * @param request the request
   * @return whether its path is one of the API's routes below the base
   */
  public boolean answers(HttpServletRequest request) {
    return routeOf(pathInApplication(request)) != null;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest req && response instanceof HttpServletResponse res) {
      String route = routeOf(pathInApplication(req));
      if (route != null) {
        KeyManagementServlet.answer(management, req, res, route);
        return;
      }
    }
    chain.doFilter(request, response);
  }

  private static String pathInApplication(HttpServletRequest req) {
    String servletPath = req.getServletPath();
    String info = req.getPathInfo();
    return (servletPath == null ? "" : servletPath) + (info == null ? "" : info);
  }

  @Override
  public String toString() {
    return "KeyManagementFilter[" + base + "]";
  }
}
