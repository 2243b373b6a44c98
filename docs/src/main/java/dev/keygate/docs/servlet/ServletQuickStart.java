package dev.keygate.docs.servlet;

// The root README's servlet quick start, whole: the lines between the tags are what it shows.
// tag::servlet-quickstart[]
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.servlet.KeygateFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;

public class ServletQuickStart {
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    try (Keygate keygate = Keygate.builder()
        .store(new InMemoryApiKeyStore())                 // or JdbcApiKeyStore (spi-jdbc)
        .keyFormat(KeyFormat.withPrefix("kg_live"))
        .build()) {
      ServletContextHandler context = new ServletContextHandler("/");
      context.addFilter(new FilterHolder(KeygateFilter.builder(keygate)
              .scopeRule("GET /orders/*=orders.read")
              .scopeRule("POST,PUT,DELETE /orders/*=orders.write")
              .build()),
          "/*", EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(OrdersServlet.class, "/orders/*");
      Server server = new Server(port);
      server.setHandler(context);
      server.setStopAtShutdown(true);
      server.start();

      String key = keygate.keys().create(NewKey.named("first").withScopes("orders.read")).plaintext();
      System.out.println("curl -H 'X-API-Key: " + key + "' http://localhost:" + port + "/orders/1");
      server.join();
    }
  }

  /** Reached only through the filter: the caller is known, and its scopes are its roles. */
  public static class OrdersServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.getWriter().println("Hello " + req.getUserPrincipal().getName()
          + ", orders.read: " + req.isUserInRole("orders.read"));
    }
  }
}
// end::servlet-quickstart[]
