package dev.keygate.docs.management;

import dev.keygate.Keygate;
import dev.keygate.management.ApiKeysPageServlet;
import dev.keygate.management.KeyManagement;
import dev.keygate.management.KeyManagementFeature;
import dev.keygate.management.KeyManagementServlet;
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
}
