package dev.keygate.logging;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real Jetty 12 (ee10) on an ephemeral loopback port, answering 200 to any GET. */
public final class JettyServer implements AutoCloseable {
  private final Server server;
  private final int port;

  private JettyServer(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts the server. */
  public static JettyServer start() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setContentType("text/plain");
        resp.getWriter().write("ok");
      }
    }), "/*");
    server.setHandler(context);
    server.start();
    return new JettyServer(server, connector.getLocalPort());
  }

  /**
   * Sends one HTTP/1.1 GET carrying {@code header} in {@code X-API-Key}, {@code bearer} as a
   * Bearer token and {@code query} as the {@code api_key} query parameter; returns the status.
   */
  public int getWithKeys(TestKey header, TestKey bearer, TestKey query) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/things?api_key=" + query.plaintext()))
        .header("X-API-Key", header.plaintext())
        .header("Authorization", "Bearer " + bearer.plaintext())
        .timeout(Duration.ofSeconds(10))
        .GET().build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
