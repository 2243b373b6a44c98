package dev.keygate.jaxrs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.Set;

/**
 * {@link RequireEnvironment} wherever it may stand: on a method, on a class (then with a method's
 * scopes beside it), on an interface method and an interface type, on an overridden superclass
 * method and a superclass type, and on a sub-resource locator. Every method answers its path's
 * last segment; the ones that take live keys only are named {@code live}.
 */
final class EnvironmentResources {
  static final String LIVE = "live";

  private EnvironmentResources() {}

  /** Every root resource below. */
  static Set<Class<?>> classes() {
    return Set.of(OnMethod.class, OnClass.class, InterfaceMethod.class, InterfaceType.class,
        SuperclassMethod.class, SuperclassType.class, Locators.class);
  }

  @Path("method")
  public static class OnMethod {
    @GET @Path("live") @RequireEnvironment(LIVE)
    public String live() {
      return "live";
    }

    @GET @Path("any")
    public String any() {
      return "any";
    }
  }

  @Path("class")
  @RequireEnvironment(LIVE)
  public static class OnClass {
    @GET @Path("live")
    public String live() {
      return "live";
    }

    @GET @Path("scoped") @RequireScopes("payouts.write")
    public String scoped() {
      return "scoped";
    }

    @GET @Path("again") @RequireEnvironment(LIVE)
    public String again() {
      return "again";
    }
  }

  public interface LiveMethodApi {
    @GET @Path("live") @RequireEnvironment(LIVE) String live();
  }

  @Path("interface-method")
  public static class InterfaceMethod implements LiveMethodApi {
    @Override public String live() {
      return "live";
    }
  }

  @RequireEnvironment(LIVE)
  public interface LiveTypeApi {
    @GET @Path("live") String live();
  }

  @Path("interface-type")
  public static class InterfaceType implements LiveTypeApi {
    @Override public String live() {
      return "live";
    }
  }

  public abstract static class LiveMethodBase {
    @GET @Path("live") @RequireEnvironment(LIVE)
    public abstract String live();
  }

  @Path("superclass-method")
  public static class SuperclassMethod extends LiveMethodBase {
    @Override public String live() {
      return "live";
    }
  }

  @RequireEnvironment(LIVE)
  public abstract static class LiveTypeBase {
    @GET @Path("live")
    public String live() {
      return "live";
    }
  }

  @Path("superclass-type")
  public static class SuperclassType extends LiveTypeBase {}

  @Path("locator")
  public static class Locators {
    @Path("live") @RequireEnvironment(LIVE)
    public Shelf live() {
      return new Shelf();
    }

    @Path("any")
    public Shelf any() {
      return new Shelf();
    }
  }

  /** Asks nothing itself: what a request to it needs comes from the locator that returned it. */
  public static class Shelf {
    @GET
    public String get() {
      return "shelf";
    }
  }
}
