package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.server.Server;

/** Leak reports to the API as a filter in front of an application sharing {@code /api/v1}. */
class FilterLeakReportsTest extends LeakReportsContract {
  @Override
  Server start(KeyManagement management) throws Exception {
    return Servers.servlet(new FilterManagementApiTest.AppServlet(), context -> context.addFilter(
        new FilterHolder(KeyManagementFilter.at("/api/v1", management)), "/api/v1/*", EnumSet.of(DispatcherType.REQUEST)));
  }

  @Override
  void assertNotTheApis(Http.Reply r) {
    assertThat(r.body()).isEqualTo("application: POST " + ROUTE); // the application's own path, untouched
  }
}
