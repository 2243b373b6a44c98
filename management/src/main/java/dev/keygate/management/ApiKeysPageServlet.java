package dev.keygate.management;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The API Keys page: static files from this jar, served at the path of your choice (map the servlet
 * to {@code /console/*}; the page is at {@code /console/}). It talks to the management API at the
 * base path given here. Every answer carries a strict Content-Security-Policy ({@code default-src
 * 'self'; frame-ancestors 'none'}), {@code nosniff} and {@code Referrer-Policy: no-referrer}.
 */
public final class ApiKeysPageServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final String ROOT = "/dev/keygate/management/console/";
  static final Map<String, String> SECURITY_HEADERS = Map.of(
      "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      "X-Content-Type-Options", "nosniff",
      "Referrer-Policy", "no-referrer",
      "X-Frame-Options", "DENY");
  private static final Map<String, String> FILES = Map.of(
      "/index.html", "text/html;charset=utf-8",
      "/console.css", "text/css;charset=utf-8",
      "/console.js", "text/javascript;charset=utf-8");

  /** How the page signs in. */
  public enum SignIn {
    /** The page asks for a management key and keeps it in the tab's memory only (the default). */
    KEY,
    /** The host application's session signs the caller in (see {@link ManagementAccess#sessions}). */
    SESSION
  }

  private final transient Map<String, byte[]> files;

  private ApiKeysPageServlet(Map<String, byte[]> files) {
    this.files = files;
  }

  /**
   * A page talking to the management API at {@code apiBase}.
   *
   * @param apiBase the API's base path as the browser reaches it ({@code /api/v1})
   * @param productName the name shown in the page's header
   * @param signIn how the page signs in
   * @return the servlet to map
   * @throws IllegalArgumentException if {@code apiBase} is not an absolute path
   */
  public static ApiKeysPageServlet of(String apiBase, String productName, SignIn signIn) {
    Objects.requireNonNull(productName, "productName");
    Objects.requireNonNull(signIn, "signIn");
    if (!apiBase.startsWith("/") || apiBase.contains("//") || !apiBase.matches("[A-Za-z0-9._/-]+")
        || (apiBase + "/").matches(".*/\\.{1,2}/.*")) {
      throw new IllegalArgumentException("apiBase must be an absolute path such as /api/v1, not " + apiBase);
    }
    String base = apiBase.endsWith("/") && apiBase.length() > 1 ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
    Map<String, byte[]> files = new java.util.HashMap<>();
    FILES.keySet().forEach(f -> files.put(f, read(f)));
    try {
      files.put("/config.json", Replies.JSON.writeValueAsBytes(Map.of("api_base", base, "product_name", productName,
          "sign_in", signIn.name().toLowerCase(java.util.Locale.ROOT))));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return new ApiKeysPageServlet(Map.copyOf(files));
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    SECURITY_HEADERS.forEach(response::setHeader);
    String info = request.getPathInfo();
    if (info == null) { // "/console" without the slash: the page's relative links need it
      String query = request.getQueryString();
      response.setHeader("Location", request.getRequestURI() + "/" + (query == null ? "" : "?" + query));
      response.setStatus(302);
      return;
    }
    String path = info.equals("/") ? "/index.html" : info;
    byte[] body = files.get(path);
    if (body == null) {
      write(response, 404, "application/json", Replies.utf8(Replies.detail("Not found.")));
      return;
    }
    if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
      response.setHeader("Allow", "GET, HEAD");
      write(response, 405, "application/json", Replies.utf8(Replies.detail("Method Not Allowed.")));
      return;
    }
    response.setHeader("Cache-Control", "no-cache");
    String type = path.equals("/config.json") ? "application/json" : FILES.get(path);
    write(response, 200, type, request.getMethod().equals("HEAD") ? null : body);
  }

  private static void write(HttpServletResponse response, int status, String type, byte @Nullable [] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(type);
    if (body != null) {
      response.setContentLength(body.length);
      try (OutputStream out = response.getOutputStream()) {
        out.write(body);
      }
    }
  }

  private static byte[] read(String file) {
    try (InputStream in = ApiKeysPageServlet.class.getResourceAsStream(ROOT + file.substring(1))) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + ROOT + file.substring(1));
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return "ApiKeysPageServlet" + files.keySet();
  }
}
