package dev.keygate.jaxrs;

import dev.keygate.KeygatePrincipal;
import jakarta.annotation.Priority;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;
import java.util.Set;

/** The resources of the test application; each answers a short text naming what was reached. */
final class TestResources {
  private TestResources() {}

  /** An application of every resource below plus {@code providers}. */
  static Application application(Object... providers) {
    return new Application() {
      @Override
      public Set<Class<?>> getClasses() {
        return Set.of(Orders.class, Reports.class, Locked.class, Health.class, Me.class);
      }

      @Override
      @SuppressWarnings("deprecation") // the portable way to hand over a configured instance
      public Set<Object> getSingletons() {
        return Set.of(providers);
      }
    };
  }

  /**
   * The application's own Bearer authentication, for tokens Keygate defers: {@code Bearer
   * app-token} becomes principal {@code app-user} with role {@code orders.read}.
   */
  @Priority(Priorities.AUTHENTICATION + 10)
  static final class AppTokenFilter implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
      if (!"Bearer app-token".equals(request.getHeaderString("Authorization"))) {
        return;
      }
      boolean secure = request.getSecurityContext().isSecure();
      request.setSecurityContext(new SecurityContext() {
        @Override
        public Principal getUserPrincipal() {
          return () -> "app-user";
        }

        @Override
        public boolean isUserInRole(String role) {
          return role.equals("orders.read");
        }

        @Override
        public boolean isSecure() {
          return secure;
        }

        @Override
        public String getAuthenticationScheme() {
          return "APP";
        }
      });
    }
  }

  /** Marks every request secure, as a runtime behind TLS (or told so by its proxy) would. */
  @PreMatching
  @Priority(Priorities.AUTHENTICATION - 100)
  static final class SecureTransport implements ContainerRequestFilter {
    @Override
    public void filter(ContainerRequestContext request) {
      SecurityContext transport = request.getSecurityContext();
      request.setSecurityContext(new SecurityContext() {
        @Override
        public Principal getUserPrincipal() {
          return transport.getUserPrincipal();
        }

        @Override
        public boolean isUserInRole(String role) {
          return transport.isUserInRole(role);
        }

        @Override
        public boolean isSecure() {
          return true;
        }

        @Override
        public String getAuthenticationScheme() {
          return transport.getAuthenticationScheme();
        }
      });
    }
  }

  /** Class-level scope, overridden per method. */
  @Path("orders")
  @RequireScopes("orders.read")
  public static class Orders {
    @GET
    public String list() {
      return "orders";
    }

    @POST
    @RequireScopes("orders.write")
    public String create() {
      return "created";
    }

    @GET
    @Path("either")
    @RequireScopes(any = {"orders.admin", "orders.audit"})
    public String either() {
      return "either";
    }

    @GET
    @Path("both")
    @RequireScopes({"orders.read", "orders.export"})
    public String both() {
      return "both";
    }

    @GET
    @Path("any-read")
    @RequireScopes(any = {"orders.read", "orders.admin"})
    public String anyRead() {
      return "any read";
    }

    @GET
    @Path("read-and-either")
    @RequireScopes(value = "orders.read", any = {"orders.admin", "orders.audit"})
    public String readAndEither() {
      return "read and either";
    }

    /** Answers CORS preflights itself, so Keygate's filters run for OPTIONS here. */
    @OPTIONS
    public String options() {
      return "options";
    }

    @GET
    @Path("open")
    @PublicResource
    public String open() {
      return "open orders";
    }
  }

  /** Jakarta security annotations: roles are scopes. */
  @Path("reports")
  @RolesAllowed("reports.read")
  public static class Reports {
    @GET
    public String read() {
      return "reports";
    }

    @GET
    @Path("admin")
    @RolesAllowed({"reports.admin", "admin"})
    public String admin() {
      return "reports admin";
    }

    @GET
    @Path("open")
    @PermitAll
    public String open() {
      return "open reports";
    }

    @GET
    @Path("closed")
    @DenyAll
    public String closed() {
      return "closed reports";
    }
  }

  /** Denied as a whole, with one open method. */
  @Path("locked")
  @DenyAll
  public static class Locked {
    @GET
    public String locked() {
      return "locked";
    }

    @GET
    @Path("open")
    @PermitAll
    public String open() {
      return "open lock";
    }
  }

  /** Public as a whole, with one protected method. */
  @Path("health")
  @PublicResource
  public static class Health {
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public String health() {
      return "{\"status\":\"ok\"}";
    }

    @GET
    @Path("details")
    @RequireScopes("ops.read")
    public String details() {
      return "details";
    }
  }

  /** No annotation: any valid credential. */
  @Path("me")
  public static class Me {
    @GET
    public String me(@Context SecurityContext security) {
      String keyName = security.getUserPrincipal() instanceof KeygatePrincipal p ? p.keyName() : "-";
      return "scheme=" + security.getAuthenticationScheme()
          + " name=" + security.getUserPrincipal().getName()
          + " keyName=" + keyName
          + " secure=" + security.isSecure()
          + " orders.read=" + security.isUserInRole("orders.read")
          + " orders.write=" + security.isUserInRole("orders.write");
    }

    /** Whether the caller holds the role null (nobody does). */
    @GET
    @Path("null-role")
    public String nullRole(@Context SecurityContext security) {
      return String.valueOf(security.isUserInRole(null));
    }

    /** Whether the application's configuration counts Keygate as an enabled feature. */
    @GET
    @Path("feature")
    public String feature(@Context Configuration configuration) {
      return String.valueOf(configuration.isEnabled(KeygateFeature.class));
    }

    /** The API-key header as received, for the client filter tests. */
    @GET
    @Path("key")
    public String key(@HeaderParam("X-API-Key") String key) {
      return key;
    }
  }
}
