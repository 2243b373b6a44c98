package dev.keygate.management;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The management API as a servlet: map it to the base path of your choice ({@code /manage/*}), and
 * its routes answer below it ({@code /manage/keys}). It authenticates callers itself (see {@link
 * ManagementAccess}); a Keygate filter in front is not needed, and its principal is used when there is one.
 */
public final class KeyManagementServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient KeyManagement management;

  /**
   * A servlet answering with {@code management}.
   *
   * @param management the API
   */
  public KeyManagementServlet(KeyManagement management) {
    this.management = Objects.requireNonNull(management, "management");
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String info = request.getPathInfo();
    answer(management, request, response, info == null ? "" : info);
  }

  /** Answers {@code request}, whose path below the API's base is {@code path}. */
  static void answer(KeyManagement management, HttpServletRequest request, HttpServletResponse response, String path)
      throws IOException {
    ManagementResponse answer = management.handle(new ServletCall(request, path));
    response.setStatus(answer.status());
    answer.headers().forEach((name, value) -> response.setHeader(name, name.equals("Location")
        ? java.net.URI.create(request.getRequestURL().toString()).resolve(value).toString() // this request's, absolute
        : value));
    byte[] body = answer.body();
    if (body.length > 0) {
      response.setContentLength(body.length);
      try (OutputStream out = response.getOutputStream()) {
        out.write(body);
      }
    }
  }

  @Override
  public String toString() {
    return "KeyManagementServlet[" + management + "]";
  }

  /** A servlet request as the management API reads it. */
  private record ServletCall(HttpServletRequest request, String path) implements ManagementRequest {
    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public List<String> query(String name) {
      return queryString().getOrDefault(name, List.of());
    }

    @Override
    public Iterable<String> queryNames() {
      return queryString().keySet();
    }

    /**
     * The query string's parameters only: {@code getParameterMap()} would also read a form body
     * (and consume it).
     *
     * @throws IllegalArgumentException if a parameter is not valid percent-encoded UTF-8
     */
    private java.util.Map<String, List<String>> queryString() {
      String query = request.getQueryString();
      java.util.Map<String, List<String>> out = new java.util.LinkedHashMap<>();
      if (query == null || query.isEmpty()) {
        return out;
      }
      for (String pair : query.split("&", -1)) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        out.computeIfAbsent(name, n -> new java.util.ArrayList<>()).add(value);
      }
      return out;
    }

    private static String decode(String text) {
      return java.net.URLDecoder.decode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public List<String> headers(String name) {
      return Collections.list(request.getHeaders(name));
    }

    @Override
    public String peerAddress() {
      return request.getRemoteAddr();
    }

    @Override
    public boolean secure() {
      return request.isSecure();
    }

    @Override
    public @Nullable Principal principal() {
      return request.getUserPrincipal();
    }

    @Override
    public InputStream body() throws IOException {
      return request.getInputStream();
    }
  }
}
