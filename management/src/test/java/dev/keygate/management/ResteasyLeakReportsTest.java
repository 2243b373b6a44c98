package dev.keygate.management;

import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;

/** Leak reports to the API in a RESTEasy 6.2 application. */
class ResteasyLeakReportsTest extends LeakReportsContract {
  private ResteasyDeployment deployment;

  @Override
  Server start(KeyManagement management) throws Exception {
    Application app = new Application() {
      @Override
      public Set<Object> getSingletons() {
        return Set.of(KeyManagementFeature.at("v1", management), new JaxrsManagementApiContract.AppResource());
      }
    };
    deployment = new ResteasyDeploymentImpl();
    deployment.setApplication(app);
    deployment.start();
    ResteasyDeployment started = deployment;
    return Servers.jaxrsContext(new HttpServlet30Dispatcher(),
        context -> context.setAttribute(ResteasyDeployment.class.getName(), started));
  }

  @Override
  void stopServer() throws Exception {
    super.stopServer();
    deployment.stop();
  }
}
