package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PathPattern#matches(HttpServletRequest)} (what the Spring integration matches its ignored
 * and public paths with) reads the path within the application, as the filter does: servlet path
 * plus path info, without the context path.
 */
class PathPatternRequestTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private Server server;
  private String base;

  /** Answers whether the pattern in {@code X-Pattern} matches this request. */
  static final class MatchServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.getWriter().write(Boolean.toString(PathPattern.parse(req.getHeader("X-Pattern")).matches(req)));
    }
  }

  @BeforeEach
  void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/ctx");
    context.addServlet(new ServletHolder(new MatchServlet()), "/api/*");
    context.addServlet(new ServletHolder(new MatchServlet()), "/");
    server.setHandler(context);
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort() + "/ctx";
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  private String matches(String path, String pattern) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("X-Pattern", pattern).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void thePathWithinTheApplicationIsMatched() throws Exception {
    assertThat(matches("/api/orders/1", "/api/orders/*")).isEqualTo("true");
    assertThat(matches("/api/orders", "/api/orders/*")).isEqualTo("true");
    assertThat(matches("/api/other", "/api/orders/*")).isEqualTo("false");
    assertThat(matches("/api/orders/1", "/orders/*")).as("the servlet path counts").isEqualTo("false");
    assertThat(matches("/api/orders/1", "/ctx/api/orders/*")).as("the context path does not").isEqualTo("false");
    assertThat(matches("/health", "/health")).as("a default servlet's path").isEqualTo("true");
    assertThat(matches("/site/app.css", "*.css")).isEqualTo("true");
  }
}
