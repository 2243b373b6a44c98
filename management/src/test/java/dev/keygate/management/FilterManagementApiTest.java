package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/**
 * The management API as a filter at {@code /api/v1/*} in front of an application servlet that
 * serves the same path space (as in a Spring MVC application): the API's routes are answered by
 * the filter, everything else reaches the application untouched.
 */
class FilterManagementApiTest extends ManagementApiContract {

  /** The application: answers every path it is given with the path, as text. */
  static final class AppServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setContentType("text/plain");
      res.getOutputStream().write(("application: " + req.getMethod() + " " + req.getPathInfo()).getBytes(StandardCharsets.UTF_8));
    }
  }

  @Override
  Server start(KeyManagement management) throws Exception {
    return Servers.servlet(new AppServlet(), context -> context.addFilter(
        new FilterHolder(KeyManagementFilter.at("/api/v1", management)), "/api/v1/*", EnumSet.of(DispatcherType.REQUEST)));
  }

  @Test
  void theApplicationsOwnRoutesUnderTheBaseAreUntouched() {
    assertThat(http.get("/hello", null).body()).isEqualTo("application: GET /hello");
    assertThat(http.get("/keysmith", null).body()).isEqualTo("application: GET /keysmith");
    assertThat(http.get("/keys", null).status()).as("the API's own route: a key is needed").isEqualTo(401);
  }

  @Test
  void aBaseThatIsNotAnAbsolutePathIsRefused() {
    for (String bad : new String[] {"api", "/api/", "/api//v1", "/api/*"}) {
      org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
          .isThrownBy(() -> KeyManagementFilter.at(bad, management()));
    }
  }
}
