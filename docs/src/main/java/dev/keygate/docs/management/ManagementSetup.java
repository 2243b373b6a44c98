package dev.keygate.docs.management;

import dev.keygate.Keygate;
import dev.keygate.LeakOutcome;
import dev.keygate.LeakPolicy;
import dev.keygate.management.ApiKeysPageServlet;
import dev.keygate.management.KeyManagement;
import dev.keygate.management.KeyManagementFeature;
import dev.keygate.management.KeyManagementServlet;
import dev.keygate.management.LeakReports;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.glassfish.jersey.server.ResourceConfig;

/** README.md, "Key management and the API Keys page": each registration, a method a test calls. */
public final class ManagementSetup {
  private ManagementSetup() {}

  /** The API, with the scopes your routes use and what they allow. */
  public static KeyManagement management(Keygate keygate) {
    // tag::management-api[]
    KeyManagement management = KeyManagement.builder(keygate)
        .scope("orders.read", "List and read orders.")
        .scope("orders.write", "Create, change and cancel orders.")
        .scope("keys.admin", "Create, regenerate and revoke the organization's API keys.")
        .build();
    // end::management-api[]
    return management;
  }

  /** In a servlet container (Jetty shown; any Servlet 6 container maps servlets the same way). */
  public static void servlet(ServletContextHandler context, KeyManagement management) {
    // tag::management-servlet[]
    context.addServlet(new ServletHolder(new KeyManagementServlet(management)), "/manage/*");
    context.addServlet(new ServletHolder(
        ApiKeysPageServlet.of("/manage", "Orders API", ApiKeysPageServlet.SignIn.KEY)), "/console/*");
    // end::management-servlet[]
  }

  /** In a JAX-RS application mounted at /api: the API at /api/v1/keys, beside its own resources. */
  public static ResourceConfig jaxrs(ResourceConfig config, KeyManagement management) {
    // tag::management-jaxrs[]
    config.register(KeyManagementFeature.at("v1", management));
    // end::management-jaxrs[]
    return config;
  }

  /**
   * With the leak-report route for GitHub's secret scanning: {@code githubKeys} maps GitHub's key
   * identifiers to their PEM public keys; {@code tellOwner} hears of each key revoked.
   */
  public static KeyManagement withLeakReports(Keygate keygate, Map<String, String> githubKeys,
      Consumer<LeakOutcome> tellOwner) {
    // tag::management-leaks[]
    KeyManagement management = KeyManagement.builder(keygate)
        .scope("keys.admin", "Create, regenerate and revoke the organization's API keys.")
        .leakReports(LeakReports.github(githubKeys) // key identifier -> PEM public key
            .policy(LeakPolicy.REVOKE)              // or MARK: keep it working, flag it, tell the owner
            .onLeak(tellOwner))                     // each key revoked or marked, once
        .build();
    // end::management-leaks[]
    return management;
  }
}
