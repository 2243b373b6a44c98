package dev.keygate.docs.jaxrs;

// The root README's JAX-RS quick start, whole: the lines between the tags are what it shows.
// tag::jaxrs-quickstart[]
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.jaxrs.KeygateFeature;
import dev.keygate.jaxrs.PublicResource;
import dev.keygate.jaxrs.RequireScopes;
import dev.keygate.memory.InMemoryApiKeyStore;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

public class JaxRsQuickStart {
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
    try (Keygate keygate = Keygate.builder()
        .store(new InMemoryApiKeyStore())                 // or JdbcApiKeyStore (spi-jdbc)
        .keyFormat(KeyFormat.withPrefix("kg_live"))
        .build()) {
      ResourceConfig app = new ResourceConfig(OrdersResource.class)   // Jersey; any JAX-RS 3.1 runtime works
          .register(new KeygateFeature(keygate));
      ServletContextHandler context = new ServletContextHandler("/");
      context.addServlet(new ServletHolder(new ServletContainer(app)), "/*");
      Server server = new Server(port);
      server.setHandler(context);
      server.setStopAtShutdown(true);
      server.start();

      String key = keygate.keys().create(NewKey.named("first").withScopes("orders.read")).plaintext();
      System.out.println("curl -H 'X-API-Key: " + key + "' http://localhost:" + port + "/orders/1");
      server.join();
    }
  }

  @Path("/orders")
  @Produces("text/plain")
  public static class OrdersResource {
    @GET @Path("{id}") @RequireScopes("orders.read")
    public String get(@PathParam("id") String id, @Context SecurityContext caller) {
      return "order " + id + " for " + caller.getUserPrincipal().getName();
    }

    @POST @RequireScopes("orders.write")
    public Response create(String order) {
      return Response.status(Response.Status.CREATED).build();
    }

    @GET @Path("ping") @PublicResource
    public String ping() {
      return "ok";
    }
  }
}
// end::jaxrs-quickstart[]
