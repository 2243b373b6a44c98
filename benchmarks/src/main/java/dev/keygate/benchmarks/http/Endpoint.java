package dev.keygate.benchmarks.http;

import dev.keygate.AuthenticationEngine;
import dev.keygate.jaxrs.KeygateFeature;
import dev.keygate.servlet.KeygateFilter;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintMapping;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.security.Password;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * One variant of the hello endpoint on its own Jetty 12 server, bound to 127.0.0.1 on an ephemeral
 * port, with the headers a client must send.
 *
 * @param name short name printed in results
 * @param server the running server
 * @param uri where {@code GET} answers hello
 * @param headers the credentials to send (empty for no auth)
 */
public record Endpoint(String name, Server server, URI uri, Map<String, String> headers)
    implements AutoCloseable {

  /** No authentication: a servlet. */
  public static Endpoint plainServlet() throws Exception {
    return start("servlet", servletContext(), Map.of());
  }

  /** The servlet behind {@link KeygateFilter}. */
  public static Endpoint keygateServlet(AuthenticationEngine engine, String apiKey) throws Exception {
    ServletContextHandler context = servletContext();
    context.addFilter(new FilterHolder(KeygateFilter.builder(engine).build()), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    return start("servlet+keygate", context, Map.of("X-API-Key", apiKey));
  }

  /** The servlet behind {@link KeygateFilter}, under another name (two Keygate variants in one run). */
  public static Endpoint keygateServlet(String name, AuthenticationEngine engine, Map<String, String> headers)
      throws Exception {
    ServletContextHandler context = servletContext();
    context.addFilter(new FilterHolder(KeygateFilter.builder(engine).build()), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    return start(name, context, headers);
  }

  /**
   * The servlet behind the least an API-key filter can do: the SHA-256 of the header looked up in a
   * Caffeine cache holding {@code apiKey}'s, 401 on a miss. What Keygate's cached path is measured
   * against.
   */
  public static Endpoint bareSha256Caffeine(String apiKey) throws Exception {
    ServletContextHandler context = servletContext();
    context.addFilter(new FilterHolder(new BareKeyFilter(apiKey)), "/*", EnumSet.of(DispatcherType.REQUEST));
    return start("servlet+sha256-caffeine", context, Map.of("X-API-Key", apiKey));
  }

  /**
   * The servlet behind Jetty's own BASIC authentication: a {@link ConstraintSecurityHandler} with
   * a {@link BasicAuthenticator} and a {@link HashLoginService} holding one user.
   */
  public static Endpoint jettyBasic(String user, String password) throws Exception {
    UserStore users = new UserStore();
    users.addUser(user, new Password(password), new String[] {"user"});
    HashLoginService login = new HashLoginService("bench");
    login.setUserStore(users);
    ConstraintMapping everything = new ConstraintMapping();
    everything.setPathSpec("/*");
    everything.setConstraint(Constraint.from("user"));
    ConstraintSecurityHandler security = new ConstraintSecurityHandler();
    security.setAuthenticator(new BasicAuthenticator());
    security.setLoginService(login);
    security.addConstraintMapping(everything);
    ServletContextHandler context = servletContext();
    context.setSecurityHandler(security);
    String credentials = java.util.Base64.getEncoder()
        .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return start("servlet+jetty-basic", context, Map.of("Authorization", "Basic " + credentials));
  }

  /** No authentication: a Jersey resource. */
  public static Endpoint plainJersey() throws Exception {
    return start("jersey", jerseyContext(new ResourceConfig(HelloResource.class)), Map.of());
  }

  /** The Jersey resource with {@link KeygateFeature}. */
  public static Endpoint keygateJersey(AuthenticationEngine engine, String apiKey) throws Exception {
    ResourceConfig config = new ResourceConfig(HelloResource.class).register(new KeygateFeature(engine));
    return start("jersey+keygate", jerseyContext(config), Map.of("X-API-Key", apiKey));
  }

  private static ServletContextHandler servletContext() {
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    context.addServlet(new ServletHolder(new HelloServlet()), "/hello");
    return context;
  }

  private static ServletContextHandler jerseyContext(ResourceConfig config) {
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    context.addServlet(new ServletHolder(new ServletContainer(config)), "/*");
    return context;
  }

  private static Endpoint start(String name, ServletContextHandler context, Map<String, String> headers)
      throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(context);
    server.start();
    URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/hello");
    return new Endpoint(name, server, uri, headers);
  }

  /** Stops the server. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop " + name, e);
    }
  }
}
