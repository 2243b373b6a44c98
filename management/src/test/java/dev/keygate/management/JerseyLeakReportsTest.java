package dev.keygate.management;

import org.eclipse.jetty.server.Server;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/** Leak reports to the API in a Jersey application. */
class JerseyLeakReportsTest extends LeakReportsContract {
  @Override
  Server start(KeyManagement management) throws Exception {
    ResourceConfig config = new ResourceConfig().register(KeyManagementFeature.at("v1", management))
        .register(JaxrsManagementApiContract.AppResource.class);
    return Servers.jaxrsContext(new ServletContainer(config), context -> {});
  }
}
