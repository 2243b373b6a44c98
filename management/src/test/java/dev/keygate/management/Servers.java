package dev.keygate.management;

import jakarta.servlet.http.HttpServlet;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** Real Jetty servers on free ports, with the management API mounted one way or another. */
final class Servers {
  private Servers() {}

  /** Jetty with {@code servlet} mapped to {@code /api/v1/*}; {@code more} may add to the context. */
  static Server servlet(HttpServlet servlet, Consumer<ServletContextHandler> more) throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder("management", servlet), "/api/v1/*");
    more.accept(context);
    return start(context);
  }

  /** Jetty with a JAX-RS servlet (RESTEasy's dispatcher) as the whole {@code /api} context. */
  static Server jaxrsContext(jakarta.servlet.Servlet servlet, Consumer<ServletContextHandler> more) throws Exception {
    ServletContextHandler context = new ServletContextHandler("/api");
    ServletHolder holder = new ServletHolder(servlet);
    holder.setInitOrder(0);
    context.addServlet(holder, "/*");
    more.accept(context);
    return start(context);
  }

  private static Server start(ServletContextHandler context) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(context);
    server.start();
    return server;
  }

  static int port(Server server) {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }
}
