package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.eclipse.jetty.server.Server;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.Test;

/** The management API in a Jersey application, beside the application's own resources under {@code v1}. */
class JerseyManagementApiTest extends ManagementApiContract {

  /** The application's own resource, in the same path space. */
  @Path("/v1")
  public static final class AppResource {
    @GET
    @Path("/hello")
    @Produces("text/plain")
    public String hello() {
      return "hello from the application";
    }

    @GET
    @Path("/keysmith")
    @Produces("text/plain")
    public String keysmith() {
      return "not the API's";
    }
  }

  @Override
  Server start(KeyManagement management) throws Exception {
    ResourceConfig config = new ResourceConfig().register(KeyManagementFeature.at("/v1/", management))
        .register(AppResource.class);
    return Servers.jaxrsContext(new ServletContainer(config), context -> {});
  }

  @Test
  void theApplicationsOwnResourcesAreUntouched() {
    Http.Reply hello = http.get("/hello", null);
    assertThat(hello.status()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("hello from the application");
    assertThat(http.get("/keysmith", null).body()).isEqualTo("not the API's");
  }

  @Test
  void aBasePathThatIsNotAPlainPathIsRefused() {
    for (String bad : new String[] {"v1?x", "v1//keys", "../v1", "v 1"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeyManagementFeature.at(bad, management()))
          .as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
