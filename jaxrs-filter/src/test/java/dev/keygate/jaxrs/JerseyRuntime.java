package dev.keygate.jaxrs;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.glassfish.jersey.client.JerseyClientBuilder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;

/** Jersey 3.1 ({@code ServletContainer}) on Jetty 12 ee10, and the Jersey client. */
final class JerseyRuntime implements JaxRsRuntime {
  private final JettyServer jetty = new JettyServer();

  @Override
  public URI start(Map<String, Application> applications) throws Exception {
    Map<String, ServletContextHandler> contexts = new LinkedHashMap<>();
    applications.forEach((path, app) -> contexts.put(path, JettyServer.context(path,
        new ServletContainer(ResourceConfig.forApplication(app)
            .property(ServerProperties.WADL_FEATURE_DISABLE, true)), c -> c)));
    return jetty.start(contexts);
  }

  @Override
  public String implementationPackage() {
    return "org.glassfish.jersey.";
  }

  @Override
  public Client newClient() {
    ClientBuilder builder = new JerseyClientBuilder();
    return builder.build();
  }

  @Override
  public void stop() throws Exception {
    jetty.stop();
  }
}
