package dev.keygate.jaxrs;

import jakarta.servlet.Servlet;
import java.net.URI;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A Jetty 12 server on 127.0.0.1 and an ephemeral port, one servlet context per application. */
final class JettyServer {
  private final Server server = new Server();

  /**
   * Starts the server.
   *
   * @param contexts context path to the servlet context handler to mount there
   * @return the base URI
   */
  URI start(Map<String, ServletContextHandler> contexts) throws Exception {
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new ContextHandlerCollection(contexts.values().toArray(new ServletContextHandler[0])));
    server.start();
    return URI.create("http://127.0.0.1:" + connector.getLocalPort());
  }

  /** A context at {@code path} serving {@code servlet} on {@code /*}. */
  static ServletContextHandler context(String path, Servlet servlet,
      Function<ServletContextHandler, ServletContextHandler> customize) {
    ServletContextHandler context = new ServletContextHandler(path);
    ServletHolder holder = new ServletHolder(servlet);
    holder.setInitOrder(0);
    context.addServlet(holder, "/*");
    return customize.apply(context);
  }

  /** Stops the server. */
  void stop() throws Exception {
    server.stop();
  }
}
