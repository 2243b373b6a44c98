package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.eclipse.jetty.server.Server;
import org.jboss.resteasy.core.ResteasyDeploymentImpl;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;
import org.jboss.resteasy.spi.ResteasyDeployment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The management API in a RESTEasy 6.2 application, beside the application's own resources under {@code v1}. */
class ResteasyManagementApiTest extends ManagementApiContract {
  private ResteasyDeployment deployment;

  @Override
  Server start(KeyManagement management) throws Exception {
    Application app = new Application() {
      @Override
      public Set<Object> getSingletons() {
        return Set.of(KeyManagementFeature.at("v1", management), new JerseyManagementApiTest.AppResource());
      }
    };
    deployment = new ResteasyDeploymentImpl();
    deployment.setApplication(app);
    deployment.start();
    ResteasyDeployment started = deployment;
    return Servers.jaxrsContext(new HttpServlet30Dispatcher(),
        context -> context.setAttribute(ResteasyDeployment.class.getName(), started));
  }

  @AfterEach
  void stopDeployment() {
    if (deployment != null) {
      deployment.stop();
    }
  }

  @Test
  void theApplicationsOwnResourcesAreUntouched() {
    Http.Reply hello = http.get("/hello", null);
    assertThat(hello.status()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("hello from the application");
    assertThat(http.get("/keysmith", null).body()).isEqualTo("not the API's");
  }
}
