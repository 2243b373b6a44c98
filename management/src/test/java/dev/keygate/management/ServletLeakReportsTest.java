package dev.keygate.management;

import org.eclipse.jetty.server.Server;

/** Leak reports to the API as a servlet at {@code /api/v1/*}. */
class ServletLeakReportsTest extends LeakReportsContract {
  @Override
  Server start(KeyManagement management) throws Exception {
    return Servers.servlet(new KeyManagementServlet(management), context -> {});
  }
}
