package dev.keygate.jaxrs;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.Set;

/**
 * Access annotations away from the implementation method: on an interface method, an interface
 * type, an overridden superclass method, a superclass type, a generic interface (whose
 * implementation has bridge methods) and on sub-resource locators. Each placement is tried with
 * each annotation: {@code <placement>/<kind>} answers {@code <kind>}, where kind is {@code scoped}
 * ({@code @RequireScopes("orders.admin")}), {@code roles} ({@code @RolesAllowed("orders.admin")}),
 * {@code denied} ({@code @DenyAll}), {@code permitted} ({@code @PermitAll}) or {@code public}
 * ({@code @PublicResource}). No implementation method carries an access annotation.
 */
final class InheritedResources {
  static final String ADMIN = "orders.admin";

  private InheritedResources() {}

  /** Every root resource below. */
  static Set<Class<?>> classes() {
    return Set.of(InterfaceMethod.class, InterfaceTypeScoped.class, InterfaceTypeRoles.class,
        InterfaceTypeDenied.class, InterfaceTypePermitted.class, InterfaceTypePublic.class,
        SuperclassMethod.class, SuperclassTypeScoped.class, SuperclassTypeRoles.class,
        SuperclassTypeDenied.class, SuperclassTypePermitted.class, SuperclassTypePublic.class,
        GenericInterface.class, LocatorMethod.class, LocatorClassScoped.class,
        LocatorClassRoles.class, LocatorClassDenied.class, LocatorClassPermitted.class,
        LocatorClassPublic.class, Combined.class, Shelves.class, Shared.class, Vault.class);
  }

  // ---- interface method ----

  public interface InterfaceMethodApi {
    @GET @Path("scoped") @RequireScopes(ADMIN) String scoped();

    @GET @Path("roles") @RolesAllowed(ADMIN) String roles();

    @GET @Path("denied") @DenyAll String denied();

    @GET @Path("permitted") @PermitAll String permitted();

    @GET @Path("public") @PublicResource String open();
  }

  @Path("interface-method")
  public static class InterfaceMethod implements InterfaceMethodApi {
    @Override public String scoped() { return "scoped"; }

    @Override public String roles() { return "roles"; }

    @Override public String denied() { return "denied"; }

    @Override public String permitted() { return "permitted"; }

    @Override public String open() { return "public"; }
  }

  // ---- interface type ----

  public interface Named {
    @GET String get();
  }

  @RequireScopes(ADMIN) public interface ScopedApi extends Named {}

  @RolesAllowed(ADMIN) public interface RolesApi extends Named {}

  @DenyAll public interface DeniedApi extends Named {}

  @PermitAll public interface PermittedApi extends Named {}

  @PublicResource public interface PublicApi extends Named {}

  @Path("interface-type/scoped")
  public static class InterfaceTypeScoped implements ScopedApi {
    @Override public String get() { return "scoped"; }
  }

  @Path("interface-type/roles")
  public static class InterfaceTypeRoles implements RolesApi {
    @Override public String get() { return "roles"; }
  }

  @Path("interface-type/denied")
  public static class InterfaceTypeDenied implements DeniedApi {
    @Override public String get() { return "denied"; }
  }

  @Path("interface-type/permitted")
  public static class InterfaceTypePermitted implements PermittedApi {
    @Override public String get() { return "permitted"; }
  }

  @Path("interface-type/public")
  public static class InterfaceTypePublic implements PublicApi {
    @Override public String get() { return "public"; }
  }

  // ---- superclass method, overridden without annotations ----

  public abstract static class SuperclassMethodBase {
    @GET @Path("scoped") @RequireScopes(ADMIN) public String scoped() { return "base"; }

    @GET @Path("roles") @RolesAllowed(ADMIN) public String roles() { return "base"; }

    @GET @Path("denied") @DenyAll public String denied() { return "base"; }

    @GET @Path("permitted") @PermitAll public String permitted() { return "base"; }

    @GET @Path("public") @PublicResource public String open() { return "base"; }
  }

  @Path("superclass-method")
  public static class SuperclassMethod extends SuperclassMethodBase {
    @Override public String scoped() { return "scoped"; }

    @Override public String roles() { return "roles"; }

    @Override public String denied() { return "denied"; }

    @Override public String permitted() { return "permitted"; }

    @Override public String open() { return "public"; }
  }

  // ---- superclass type ----

  @RequireScopes(ADMIN) public abstract static class ScopedBase {}

  @RolesAllowed(ADMIN) public abstract static class RolesBase {}

  @DenyAll public abstract static class DeniedBase {}

  @PermitAll public abstract static class PermittedBase {}

  @PublicResource public abstract static class PublicBase {}

  @Path("superclass-type/scoped")
  public static class SuperclassTypeScoped extends ScopedBase {
    @GET public String get() { return "scoped"; }
  }

  @Path("superclass-type/roles")
  public static class SuperclassTypeRoles extends RolesBase {
    @GET public String get() { return "roles"; }
  }

  @Path("superclass-type/denied")
  public static class SuperclassTypeDenied extends DeniedBase {
    @GET public String get() { return "denied"; }
  }

  @Path("superclass-type/permitted")
  public static class SuperclassTypePermitted extends PermittedBase {
    @GET public String get() { return "permitted"; }
  }

  @Path("superclass-type/public")
  public static class SuperclassTypePublic extends PublicBase {
    @GET public String get() { return "public"; }
  }

  // ---- generic interface: the implementation gets bridge methods taking Object ----

  public interface GenericApi<I> {
    @GET @Path("scoped/{id}") @RequireScopes(ADMIN) String scoped(@PathParam("id") I id);

    @GET @Path("roles/{id}") @RolesAllowed(ADMIN) String roles(@PathParam("id") I id);

    @GET @Path("denied/{id}") @DenyAll String denied(@PathParam("id") I id);

    @GET @Path("permitted/{id}") @PermitAll String permitted(@PathParam("id") I id);

    @GET @Path("public/{id}") @PublicResource String open(@PathParam("id") I id);
  }

  @Path("generic")
  public static class GenericInterface implements GenericApi<String> {
    @Override public String scoped(String id) { return "scoped"; }

    @Override public String roles(String id) { return "roles"; }

    @Override public String denied(String id) { return "denied"; }

    @Override public String permitted(String id) { return "permitted"; }

    @Override public String open(String id) { return "public"; }
  }

  // ---- sub-resources: no annotation (any valid credential) and public ----

  /** A sub-resource without annotations: any valid credential, plus what the locator asks. */
  public static class Sub {
    private final String name;

    Sub(String name) {
      this.name = name;
    }

    @GET public String get() { return name; }
  }

  /** A public sub-resource: open only when every locator on the way is public too. */
  @PublicResource
  public static class PublicSub extends Sub {
    PublicSub(String name) {
      super(name);
    }
  }

  // ---- locator method ----

  @Path("locator-method")
  public static class LocatorMethod {
    @Path("scoped") @RequireScopes(ADMIN) public Sub scoped() { return new Sub("scoped"); }

    @Path("roles") @RolesAllowed(ADMIN) public Sub roles() { return new Sub("roles"); }

    @Path("denied") @DenyAll public PublicSub denied() { return new PublicSub("denied"); }

    @Path("permitted") @PermitAll public PublicSub permitted() { return new PublicSub("permitted"); }

    @Path("public") @PublicResource public PublicSub open() { return new PublicSub("public"); }
  }

  // ---- locator class: the locator's class carries the annotation ----

  @Path("locator-class/scoped") @RequireScopes(ADMIN)
  public static class LocatorClassScoped {
    @Path("sub") public Sub sub() { return new Sub("scoped"); }
  }

  @Path("locator-class/roles") @RolesAllowed(ADMIN)
  public static class LocatorClassRoles {
    @Path("sub") public Sub sub() { return new Sub("roles"); }
  }

  @Path("locator-class/denied") @DenyAll
  public static class LocatorClassDenied {
    @Path("sub") public PublicSub sub() { return new PublicSub("denied"); }
  }

  @Path("locator-class/permitted") @PermitAll
  public static class LocatorClassPermitted {
    @Path("sub") public PublicSub sub() { return new PublicSub("permitted"); }
  }

  @Path("locator-class/public") @PublicResource
  public static class LocatorClassPublic {
    @Path("sub") public PublicSub sub() { return new PublicSub("public"); }
  }

  // ---- locator and sub-resource annotations together ----

  /** What a sub-resource's own methods ask, reached through the locators of {@link Combined}. */
  public static class CombinedSub {
    @GET @Path("permitted") @PermitAll public String permitted() { return "permitted"; }

    @GET @Path("public") @PublicResource public String open() { return "public"; }

    @GET @Path("write") @RequireScopes("orders.write") public String write() { return "write"; }

    @GET @Path("plain") public String plain() { return "plain"; }
  }

  /** A locator-only class whose class annotation applies to its unannotated locator. */
  @RequireScopes("orders.read")
  public static class CombinedMid {
    @Path("sub") public CombinedSub sub() { return new CombinedSub(); }
  }

  @Path("combined")
  public static class Combined {
    /** Declared as Object: only the path tells this locator apart. */
    @Path("admin") @RequireScopes(ADMIN) public Object admin() { return new CombinedSub(); }

    @Path("denied") @DenyAll public CombinedSub denied() { return new CombinedSub(); }

    @Path("open") @PublicResource public CombinedSub open() { return new CombinedSub(); }

    @Path("unmarked") public PublicSub unmarked() { return new PublicSub("unmarked"); }

    @Path("nested") @RequireScopes(ADMIN) public CombinedMid nested() { return new CombinedMid(); }

    @Path("shared") @RequireScopes(ADMIN) public Shared shared() { return new Shared(); }
  }

  /** A root resource that {@link Combined} also returns from a locator. */
  @Path("shared") @RequireScopes("orders.read")
  public static class Shared {
    @GET public String get() { return "shared"; }
  }

  /** Two locators returning the same type: the path tells which one was used. */
  @Path("shelves")
  public static class Shelves {
    @Path("{id}") @RequireScopes("orders.read")
    public Sub shelf(@PathParam("id") String id) { return new Sub("shelf " + id); }

    @Path("archive/{id: [0-9]+}") @RequireScopes(ADMIN)
    public Sub archived(@PathParam("id") String id) { return new Sub("archived " + id); }
  }

  /**
   * A strict literal locator beside a lax template one: the answer names the locator used, so a
   * path trick that reaches {@code admin} without its scope shows.
   */
  @Path("vault")
  public static class Vault {
    @Path("admin") @RequireScopes(ADMIN) public Sub admin() { return new Sub("admin"); }

    @Path("{id}") public Sub any(@PathParam("id") String id) { return new Sub("any " + id); }

    @Path("{a}/{b}") public Sub pair(@PathParam("a") String a, @PathParam("b") String b) {
      return new Sub("pair " + a + " " + b);
    }
  }
}
