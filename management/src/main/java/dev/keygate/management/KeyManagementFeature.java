package dev.keygate.management;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The management API in a JAX-RS application, in one registration:
 * {@code register(KeyManagementFeature.at("v1", management))} answers {@code v1/keys},
 * {@code v1/scopes} and the other routes below the application's path, beside the application's
 * own resources under {@code v1}. It answers before resource matching, so no annotation, filter or
 * exception mapper of the application changes it; it authenticates callers itself (see {@link
 * ManagementAccess}).
 */
public final class KeyManagementFeature implements Feature {
  /** The peer address when it is unknown, as the JAX-RS filter says it. */
  static final String UNKNOWN_PEER = "unknown";
  private final String base;
  private final KeyManagement management;

  private KeyManagementFeature(String base, KeyManagement management) {
    this.base = base;
    this.management = management;
  }

  /**
   * The API below {@code base}, a path relative to the application's root.
   *
   * @param base the base path ({@code v1}, {@code admin/api}; empty for the root); leading and
   *     trailing slashes are ignored
   * @param management the API
   * @return the feature to register
   * @throws IllegalArgumentException if the base holds a character other than letters, digits,
   *     {@code -}, {@code _}, {@code .} and {@code /}
   */
  public static KeyManagementFeature at(String base, KeyManagement management) {
    Objects.requireNonNull(management, "management");
    String b = base.replaceAll("^/+|/+$", "");
    if (!b.matches("[A-Za-z0-9._/-]*") || b.contains("//") || ("/" + b + "/").matches(".*/\\.{1,2}/.*")) {
      throw new IllegalArgumentException("base must be a plain path such as v1 or admin/api, not " + base);
    }
    return new KeyManagementFeature(b.isEmpty() ? "" : "/" + b, management);
  }

  @Override
  public boolean configure(FeatureContext context) {
    context.register(servletApiPresent() ? new ServletRouter(base, management) : new Router(base, management));
    return true;
  }

  private static boolean servletApiPresent() {
    try {
      Class.forName("jakarta.servlet.http.HttpServletRequest", false, KeyManagementFeature.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "KeyManagementFeature[" + base + ", " + management + "]";
  }

  /** Answers the API's routes before matching; every other request goes on untouched. */
  @PreMatching
  @Priority(100) // before any authentication filter: the API authenticates its callers itself
  static class Router implements ContainerRequestFilter {
    private final String base;
    private final KeyManagement management;

    Router(String base, KeyManagement management) {
      this.base = base;
      this.management = management;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
      String path = "/" + request.getUriInfo().getPath(true).replaceAll("^/+", "");
      if (!path.startsWith(base + "/")) {
        return;
      }
      String below = path.substring(base.length());
      if (!management.answers(below)) {
        return;
      }
      ManagementResponse answer = management.handle(new JaxrsCall(request, below, peerAddress()));
      Response.ResponseBuilder out = Response.status(answer.status());
      answer.headers().forEach((name, value) -> {
        if (name.equals("Location")) {
          // JAX-RS would resolve a relative Location against the application's root, not this request
          out.location(request.getUriInfo().getRequestUri().resolve(value));
        } else {
          out.header(name, value);
        }
      });
      byte[] body = answer.body();
      if (body.length > 0) {
        out.entity(body);
      }
      request.abortWith(out.build());
    }

    /** The TCP peer's address; unknown off a servlet container (JAX-RS has no such notion). */
    String peerAddress() {
      return UNKNOWN_PEER;
    }
  }

  /** On a servlet container: the peer address from the servlet request. */
  @PreMatching
  @Priority(100)
  static final class ServletRouter extends Router {
    @Context private jakarta.servlet.http.@Nullable HttpServletRequest servlet;

    ServletRouter(String base, KeyManagement management) {
      super(base, management);
    }

    @Override
    String peerAddress() {
      jakarta.servlet.http.HttpServletRequest s = servlet;
      return s == null ? UNKNOWN_PEER : s.getRemoteAddr();
    }
  }

  /** A JAX-RS request as the management API reads it. */
  private record JaxrsCall(ContainerRequestContext request, String path, String peerAddress)
      implements ManagementRequest {
    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public List<String> query(String name) {
      List<String> values = request.getUriInfo().getQueryParameters(true).get(name);
      return values == null ? List.of() : values;
    }

    @Override
    public Iterable<String> queryNames() {
      MultivaluedMap<String, String> all = request.getUriInfo().getQueryParameters(true);
      return all.keySet();
    }

    @Override
    public List<String> headers(String name) {
      List<String> values = request.getHeaders().get(name);
      return values == null ? List.of() : values;
    }

    @Override
    public boolean secure() {
      return request.getSecurityContext() != null && request.getSecurityContext().isSecure();
    }

    @Override
    public @Nullable Principal principal() {
      return request.getSecurityContext() == null ? null : request.getSecurityContext().getUserPrincipal();
    }

    @Override
    public InputStream body() {
      return request.getEntityStream();
    }
  }
}
