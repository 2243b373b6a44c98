package dev.keygate.jaxrs;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import java.util.Map;

/** A JAX-RS implementation deployed on Jetty 12 ee10 for the contract tests. */
interface JaxRsRuntime {
  /**
   * Deploys each application at its context path (e.g. {@code /app}) on one server bound to
   * 127.0.0.1 on an ephemeral port.
   *
   * @return the server's base URI, e.g. {@code http://127.0.0.1:41234}
   */
  URI start(Map<String, Application> applications) throws Exception;

  /** The package prefix of this implementation's classes, e.g. {@code org.glassfish.jersey.}. */
  String implementationPackage();

  /** A new client of this implementation. */
  Client newClient();

  /** Stops the server and undeploys the applications. */
  void stop() throws Exception;
}
