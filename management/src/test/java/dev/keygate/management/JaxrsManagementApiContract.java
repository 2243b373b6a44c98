package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.junit.jupiter.api.Test;

/** The contract in a JAX-RS application, whose own resources share the API's {@code v1} path space. */
abstract class JaxrsManagementApiContract extends ManagementApiContract {

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

  @Test
  void theApplicationsOwnResourcesAreUntouched() {
    Http.Reply hello = http.get("/hello", null);
    assertThat(hello.status()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("hello from the application");
    assertThat(http.get("/keysmith", null).body()).isEqualTo("not the API's");
  }
}
