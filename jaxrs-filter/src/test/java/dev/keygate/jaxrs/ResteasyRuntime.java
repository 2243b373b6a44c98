package dev.keygate.jaxrs;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.jboss.resteasy.client.jaxrs.internal.ResteasyClientBuilderImpl;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;

/**
 * RESTEasy 6.2 ({@code HttpServlet30Dispatcher}) on Jetty 12 ee10, and the RESTEasy client. Each
 * application gets a started {@link ResteasyDeployment} in its servlet context, which the
 * dispatcher picks up.
 */
final class ResteasyRuntime implements JaxRsRuntime {
  private final JettyServer jetty = new JettyServer();
  private final List<ResteasyDeployment> deployments = new ArrayList<>();

  @Override
  public URI start(Map<String, Application> applications) throws Exception {
    Map<String, ServletContextHandler> contexts = new LinkedHashMap<>();
    applications.forEach((path, app) -> {
      ResteasyDeployment deployment = new ResteasyDeploymentImpl();
      deployment.setApplication(app);
      deployment.start();
      deployments.add(deployment);
      contexts.put(path, JettyServer.context(path, new HttpServlet30Dispatcher(), c -> {
        c.setAttribute(ResteasyDeployment.class.getName(), deployment);
        return c;
      }));
    });
    return jetty.start(contexts);
  }

  @Override
  public String implementationPackage() {
    return "org.jboss.resteasy.";
  }

  @Override
  public Client newClient() {
    return new ResteasyClientBuilderImpl().build();
  }

  @Override
  public void stop() throws Exception {
    jetty.stop();
    deployments.forEach(ResteasyDeployment::stop);
  }
}
