package dev.keygate.management;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;

/** A real Jetty 12 on a free port of 127.0.0.1 with servlets mapped at base paths, and an HTTP client. */
final class ApiServer {
  private final Server server;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final URI root;

  /**
   * Starts the server.
   *
   * @param servlets base path ({@code /api/v1}) to the servlet answering below it
   */
  ApiServer(Map<String, KeyManagementServlet> servlets) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    servlets.forEach((base, servlet) -> context.addServlet(new ServletHolder(servlet), base + "/*"));
    server.setHandler(context);
    server.start();
    root = URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  /** An answer as the client saw it. */
  record Answer(int status, HttpHeaders headers, String body) {
    Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  /**
   * Sends one request.
   *
   * @param method the HTTP method
   * @param path the path from the server's root ({@code /api/v1/keys?limit=1})
   * @param key the {@code X-API-Key}, or null for none
   * @param contentType the {@code Content-Type}, or null for none
   * @param body the body, or null for none
   * @param headers more headers, name and value in turn
   */
  Answer send(String method, String path, @Nullable String key, @Nullable String contentType, @Nullable String body,
      String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (key != null) {
      b.header("X-API-Key", key);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Answer(r.statusCode(), r.headers(), r.body());
  }

  /** Stops the server. */
  void stop() throws Exception {
    server.stop();
  }
}
