package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.eclipse.jetty.server.Server;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.Test;

/** The management API in a Jersey application, beside the application's own resources under {@code v1}. */
class JerseyManagementApiTest extends JaxrsManagementApiContract {

  @Override
  Server start(KeyManagement management) throws Exception {
    ResourceConfig config = new ResourceConfig().register(KeyManagementFeature.at("/v1/", management))
        .register(AppResource.class);
    return Servers.jaxrsContext(new ServletContainer(config), context -> {});
  }

  @Test
  void aBasePathThatIsNotAPlainPathIsRefused() {
    for (String bad : new String[] {"v1?x", "v1//keys", "../v1", "v 1"}) {
      assertThatThrownBy(() -> KeyManagementFeature.at(bad, management()))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
