package dev.keygate.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How annotations resolve to one policy per resource method, at deployment. */
class AccessAnnotationsTest {
  @RequireScopes("a.read")
  static class Scoped {
    public void inherits() {}

    @RequireScopes(value = "a.write", any = {"x", "y"})
    public void overrides() {}

    @PermitAll
    @PublicResource
    public void open() {}

    @RolesAllowed({})
    public void nobody() {}

    @RequireScopes("a.read")
    @RolesAllowed("a.read")
    public void conflicting() {}

    @RequireScopes("not a scope!")
    public void invalid() {}
  }

  static class Plain {
    public void any() {}
  }

  @DenyAll
  static class Denied {
    public void denied() {}

    @RequireScopes
    public void anyCredential() {}
  }

  static class SubclassOfScoped extends Scoped {
    public void own() {}
  }

  @Test
  void methodAnnotationsReplaceClassAnnotations() throws Exception {
    assertThat(policy(Scoped.class, "inherits"))
        .isEqualTo(new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of("a.read"), Set.of()));
    assertThat(policy(Scoped.class, "overrides"))
        .isEqualTo(new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of("a.write"), Set.of("x", "y")));
    assertThat(policy(Denied.class, "anyCredential")).isEqualTo(AccessPolicy.AUTHENTICATED);
    assertThat(policy(Denied.class, "denied")).isEqualTo(AccessPolicy.DENIED);
  }

  @Test
  void unannotatedMethodsNeedAnyValidCredential() throws Exception {
    assertThat(policy(Plain.class, "any")).isEqualTo(AccessPolicy.AUTHENTICATED);
  }

  @Test
  void permitAllAndPublicResourceAgree() throws Exception {
    assertThat(policy(Scoped.class, "open")).isEqualTo(AccessPolicy.PUBLIC);
  }

  @Test
  void rolesAllowedWithoutRolesDeniesEverybody() throws Exception {
    assertThat(policy(Scoped.class, "nobody")).isEqualTo(AccessPolicy.DENIED);
  }

  @Test
  void classAnnotationsAreInherited() throws Exception {
    assertThat(AccessAnnotations.policy(SubclassOfScoped.class, SubclassOfScoped.class.getMethod("own")))
        .isEqualTo(new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of("a.read"), Set.of()));
  }

  @Test
  void conflictingOrInvalidAnnotationsFailDeployment() {
    assertThatThrownBy(() -> policy(Scoped.class, "conflicting"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("conflicting");
    assertThatThrownBy(() -> policy(Scoped.class, "invalid"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("invalid scope");
  }

  // ---- inherited annotations ----

  static final AccessPolicy ADMIN =
      new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of("orders.admin"), Set.of());
  static final AccessPolicy ADMIN_ROLE =
      new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of(), Set.of("orders.admin"));

  interface Api {
    @RequireScopes("orders.admin")
    void scoped();

    @DenyAll
    void denied();

    @PermitAll
    void open();

    void plain();
  }

  @RequireScopes("orders.read")
  static class ApiImpl implements Api {
    @Override public void scoped() {}

    @Override public void denied() {}

    @Override @RequireScopes("orders.write") public void open() {}

    @Override public void plain() {}

    public void scoped(String overload) {}
  }

  @Test
  void interfaceMethodAnnotationsComeBeforeTheClassAndYieldToTheMethodItself() throws Exception {
    assertThat(policy(ApiImpl.class, "scoped")).isEqualTo(ADMIN);
    assertThat(policy(ApiImpl.class, "denied")).isEqualTo(AccessPolicy.DENIED);
    assertThat(policy(ApiImpl.class, "open")).isEqualTo(scopes("orders.write"));
    assertThat(policy(ApiImpl.class, "plain")).as("then the class").isEqualTo(scopes("orders.read"));
    assertThat(AccessAnnotations.policy(ApiImpl.class, ApiImpl.class.getMethod("scoped", String.class)))
        .as("an overload is another method").isEqualTo(scopes("orders.read"));
  }

  @RolesAllowed("orders.admin")
  interface AdminType {}

  @DenyAll
  abstract static class DeniedBase {}

  static class OfAdminType implements AdminType {
    public void get() {}
  }

  static class OfDeniedBase extends DeniedBase implements AdminType {
    public void get() {}
  }

  @Test
  void classAnnotationsComeFromInterfacesAndSuperclassesSuperclassFirst() throws Exception {
    assertThat(policy(OfAdminType.class, "get")).isEqualTo(ADMIN_ROLE);
    assertThat(policy(OfDeniedBase.class, "get")).isEqualTo(AccessPolicy.DENIED);
  }

  abstract static class Base {
    @RolesAllowed("orders.admin")
    public void get() {}

    @PermitAll
    public void open() {}
  }

  static class Override1 extends Base {
    @Override public void get() {}

    @Override public void open() {}
  }

  static class Override2 extends Override1 implements Api {
    @Override public void get() {}

    @Override public void scoped() {}

    @Override public void denied() {}

    @Override public void plain() {}
  }

  @Test
  void overriddenSuperclassMethodsKeepTheirAnnotationsAcrossLevels() throws Exception {
    assertThat(policy(Override1.class, "get")).isEqualTo(ADMIN_ROLE);
    assertThat(policy(Override2.class, "get")).isEqualTo(ADMIN_ROLE);
    // open(): the superclass (@PermitAll) before the interface (@PermitAll) both agree anyway
    assertThat(policy(Override2.class, "open")).isEqualTo(AccessPolicy.PUBLIC);
    assertThat(policy(Override2.class, "denied")).isEqualTo(AccessPolicy.DENIED);
  }

  interface Crud<T, I> {
    @RequireScopes("orders.admin")
    void put(I id, T body);

    @DenyAll
    T get(I id);
  }

  abstract static class StringKeyed<T> implements Crud<T, String> {}

  static class Orders extends StringKeyed<StringBuilder> {
    @Override public void put(String id, StringBuilder body) {}

    @Override public StringBuilder get(String id) { return body(); }

    private static StringBuilder body() { return new StringBuilder(); }
  }

  @Test
  void genericDeclarationsAreFoundFromTheImplementationAndFromItsBridgeMethods() throws Exception {
    Method put = Orders.class.getMethod("put", String.class, StringBuilder.class);
    Method get = Orders.class.getMethod("get", String.class);
    assertThat(AccessAnnotations.policy(Orders.class, put)).isEqualTo(ADMIN);
    assertThat(AccessAnnotations.policy(Orders.class, get)).isEqualTo(AccessPolicy.DENIED);
    Method[] bridges = Arrays.stream(Orders.class.getDeclaredMethods()).filter(Method::isBridge)
        .toArray(Method[]::new);
    assertThat(bridges).hasSize(2);
    for (Method bridge : bridges) {
      assertThat(AccessAnnotations.policy(Orders.class, bridge)).as(bridge.toString())
          .isEqualTo(bridge.getName().equals("put") ? ADMIN : AccessPolicy.DENIED);
    }
  }

  interface Reads {
    @RequireScopes("orders.read")
    void get();
  }

  interface Writes {
    @RequireScopes("orders.write")
    void get();
  }

  interface AlsoReads {
    @RequireScopes("orders.read")
    void get();
  }

  static class Ambiguous implements Reads, Writes {
    @Override public void get() {}
  }

  static class Agreeing implements Reads, AlsoReads {
    @Override public void get() {}
  }

  static class Decided implements Reads, Writes {
    @Override @RequireScopes({"orders.read", "orders.write"}) public void get() {}
  }

  @RequireScopes("orders.read")
  interface ReadsType {}

  @PermitAll
  interface OpenType {}

  static class AmbiguousType implements ReadsType, OpenType {
    public void get() {}
  }

  interface Conflicting {
    @RequireScopes("orders.admin")
    @PermitAll
    void get();
  }

  static class OfConflicting implements Conflicting {
    @Override public void get() {}
  }

  @Test
  void interfacesThatDisagreeOrConflictingAnnotationsOnOneOfThemFailDeployment() throws Exception {
    assertThatThrownBy(() -> policy(Ambiguous.class, "get"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("conflicting")
        .hasMessageContaining(Reads.class.getName()).hasMessageContaining(Writes.class.getName())
        .hasMessageContaining("annotate " + Ambiguous.class.getName() + ".get() itself");
    assertThatThrownBy(() -> policy(AmbiguousType.class, "get"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("conflicting");
    assertThatThrownBy(() -> policy(OfConflicting.class, "get"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("conflicting");
    assertThat(policy(Agreeing.class, "get")).isEqualTo(scopes("orders.read"));
    assertThat(policy(Decided.class, "get")).isEqualTo(scopes("orders.read", "orders.write"));
  }

  @RolesAllowed("orders.admin")
  static class RolesOverInheritedScopes extends Scoped {
    public void own() {}
  }

  @Test
  void aClassAnnotationReplacesTheOneItsSuperclassPassesDown() throws Exception {
    assertThat(policy(RolesOverInheritedScopes.class, "own")).isEqualTo(ADMIN_ROLE);
  }

  // ---- where a declaration is looked for, and what does not count as one ----

  interface PlainGet {
    void get();
  }

  static class ReadsAndPlain implements Reads, PlainGet {
    @Override public void get() {}
  }

  static class ReadsTypeAndSerializable implements ReadsType, java.io.Serializable {
    public void get() {}
  }

  @Test
  void anInterfaceWithoutAnnotationsBesideAnAnnotatedOneIsNoConflict() throws Exception {
    assertThat(policy(ReadsAndPlain.class, "get")).isEqualTo(scopes("orders.read"));
    assertThat(policy(ReadsTypeAndSerializable.class, "get")).isEqualTo(scopes("orders.read"));
  }

  interface WithStaticGet {
    @DenyAll
    static String get() {
      return "static";
    }
  }

  abstract static class WithPrivateGet {
    @DenyAll
    private void get() {}

    void callsIt() {
      get();
    }
  }

  abstract static class SameNameOtherParameters {
    @DenyAll public void find(Integer id) {}

    @DenyAll public void list(Set<String> ids) {}
  }

  static class NotDeclarations extends WithPrivateGet implements WithStaticGet {
    public void get() {}
  }

  static class Overloads extends SameNameOtherParameters {
    public void find(String id) {}

    public void list(java.util.List<String> ids) {}
  }

  @Test
  void staticPrivateAndOverloadedAncestorMethodsAreNotDeclarationsOfAMethod() throws Exception {
    assertThat(policy(NotDeclarations.class, "get")).isEqualTo(AccessPolicy.AUTHENTICATED);
    assertThat(AccessAnnotations.policy(Overloads.class, Overloads.class.getMethod("find", String.class)))
        .as("find(String) is not find(Integer)").isEqualTo(AccessPolicy.AUTHENTICATED);
    assertThat(AccessAnnotations.policy(Overloads.class,
        Overloads.class.getMethod("list", java.util.List.class)))
        .as("list(List<String>) is not list(Set<String>)").isEqualTo(AccessPolicy.AUTHENTICATED);
  }

  interface Batch<T> {
    @RequireScopes("orders.admin")
    void putAll(T[] items);
  }

  static class StringBatch implements Batch<String> {
    @Override public void putAll(String[] items) {}
  }

  interface Source {
    @DenyAll
    Object get();
  }

  static class StringSource implements Source {
    @Override public String get() { return ""; }
  }

  @Test
  void genericArraysAndCovariantReturnsKeepTheDeclarationsAnnotations() throws Exception {
    assertThat(AccessAnnotations.policy(StringBatch.class,
        StringBatch.class.getMethod("putAll", String[].class))).isEqualTo(ADMIN);
    assertThat(AccessAnnotations.policy(StringBatch.class,
        StringBatch.class.getMethod("putAll", Object[].class))).as("its bridge").isEqualTo(ADMIN);
    Method bridge = Arrays.stream(StringSource.class.getDeclaredMethods())
        .filter(Method::isBridge).findFirst().orElseThrow();
    assertThat(bridge.getReturnType()).isEqualTo(Object.class);
    assertThat(AccessAnnotations.policy(StringSource.class, bridge)).isEqualTo(AccessPolicy.DENIED);
    assertThat(policy(StringSource.class, "get")).isEqualTo(AccessPolicy.DENIED);
  }

  /** Three methods whose bridges all take Object: each bridge must find its own declaration. */
  interface Store<I> {
    @DenyAll
    String remove(I id);

    @RequireScopes("orders.admin")
    String get(I id);

    @RequireScopes("orders.write")
    String get(I id, I other);
  }

  abstract static class PlainBase {}

  interface Marker {}

  static class MarkedStore extends PlainBase implements Marker, Store<String> {
    @Override public String remove(String id) { return id; }

    @Override public String get(String id) { return id; }

    @Override public String get(String id, String other) { return id; }
  }

  /** A plain class between the resource and the parameterized interface. */
  abstract static class StringStore implements Store<String> {}

  static class ThroughPlainClass extends StringStore {
    @Override public String remove(String id) { return id; }

    @Override public String get(String id) { return id; }

    @Override public String get(String id, String other) { return id; }
  }

  @Test
  void eachBridgeOfAGenericInterfaceFindsItsOwnDeclarationBehindSuperclassesAndOtherInterfaces()
      throws Exception {
    for (Class<?> type : List.of(MarkedStore.class, ThroughPlainClass.class)) {
      assertThat(AccessAnnotations.policy(type, type.getMethod("remove", String.class)))
          .as(type.getSimpleName()).isEqualTo(AccessPolicy.DENIED);
      assertThat(AccessAnnotations.policy(type, type.getMethod("get", String.class)))
          .as(type.getSimpleName()).isEqualTo(ADMIN);
      assertThat(AccessAnnotations.policy(type, type.getMethod("get", String.class, String.class)))
          .as(type.getSimpleName()).isEqualTo(scopes("orders.write"));
      Method[] bridges = Arrays.stream(type.getDeclaredMethods()).filter(Method::isBridge)
          .toArray(Method[]::new);
      assertThat(bridges).as(type.getSimpleName()).hasSize(3);
      for (Method bridge : bridges) {
        AccessPolicy expected = bridge.getName().equals("remove") ? AccessPolicy.DENIED
            : bridge.getParameterCount() == 1 ? ADMIN : scopes("orders.write");
        assertThat(AccessAnnotations.policy(type, bridge)).as(bridge.toString()).isEqualTo(expected);
      }
    }
  }

  interface Finder {
    @RequireScopes("orders.admin")
    <N extends Number> String find(N id);
  }

  static class NumberFinder implements Finder {
    @Override public <N extends Number> String find(N id) { return ""; }
  }

  @Test
  void aMethodsOwnTypeVariablesStandForTheirBounds() throws Exception {
    assertThat(AccessAnnotations.policy(NumberFinder.class,
        NumberFinder.class.getMethod("find", Number.class))).isEqualTo(ADMIN);
  }

  @Test
  void aMethodOfAnotherClassIsReadOnItsOwnClassAndAMissingOneGivesTheClassPolicy()
      throws Exception {
    Method inherits = Scoped.class.getMethod("inherits");
    assertThat(AccessAnnotations.policy(Plain.class, inherits)).as("not a method of Plain")
        .isEqualTo(scopes("a.read"));
    assertThat(AccessAnnotations.policy(null, inherits)).isEqualTo(scopes("a.read"));
    assertThat(AccessAnnotations.policy(RolesOverInheritedScopes.class, inherits))
        .as("invoked on a subclass: that class's annotations").isEqualTo(ADMIN_ROLE);
    assertThat(AccessAnnotations.policy(Scoped.class, null)).isEqualTo(scopes("a.read"));
    assertThat(AccessAnnotations.policy(Denied.class, null)).isEqualTo(AccessPolicy.DENIED);
    assertThat(AccessAnnotations.policy(null, null)).isEqualTo(AccessPolicy.AUTHENTICATED);
  }

  // ---- sub-resource locators ----

  @Path("conflict")
  static class ConflictingLocator {
    @GET public String get() { return ""; }

    @Path("sub") @RequireScopes("a.read") @PermitAll public Object sub() { return new Object(); }
  }

  @Test
  void aLocatorWithConflictingAnnotationsFailsDeployment() {
    assertThatThrownBy(() -> SubResourceLocators.check(ConflictingLocator.class))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("conflicting");
  }

  @Test
  void locatorPathTemplatesMatchTheConsumedPath() {
    assertThat(SubResourceLocators.template("/items/{id}/").matcher("items/42").matches()).isTrue();
    assertThat(SubResourceLocators.template("{id}").matcher("archive/42").matches()).isFalse();
    assertThat(SubResourceLocators.template("archive/{id: [0-9]{1,3}}").matcher("archive/421")
        .matches()).isTrue();
    assertThat(SubResourceLocators.template("archive/{id: [0-9]{1,3}}").matcher("archive/4211")
        .matches()).isFalse();
    assertThat(SubResourceLocators.template("a.b").matcher("axb").matches()).isFalse();
    assertThat(SubResourceLocators.template("{unclosed")).isNull();
  }

  private static AccessPolicy scopes(String... allOf) {
    return new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of(allOf), Set.of());
  }

  @RequireEnvironment("live")
  static class LiveClass {
    public void inherits() {}

    @RequireEnvironment("live")
    public void same() {}

    @RequireEnvironment("test")
    public void other() {}

    @RequireScopes("a.write")
    public void scoped() {}

    @PublicResource
    public void open() {}

    @DenyAll
    public void denied() {}
  }

  static class EnvironmentOnMethods {
    @RequireEnvironment("live")
    public void live() {}

    @RequireEnvironment("live")
    @PermitAll
    public void permitted() {}

    @RequireEnvironment("")
    public void empty() {}

    @RequireEnvironment(" live")
    public void padded() {}

    public void none() {}
  }

  static class EnvironmentLimits {
    @RequireEnvironment("x")
    public void one() {}

    @RequireEnvironment("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")
    public void sixtyFour() {}

    @RequireEnvironment("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee")
    public void sixtyFive() {}
  }

  @Test
  void anEnvironmentOnTheClassOrTheMethodJoinsThePolicy() throws Exception {
    assertThat(policy(LiveClass.class, "inherits")).isEqualTo(AccessPolicy.AUTHENTICATED.withEnvironment("live"));
    assertThat(policy(LiveClass.class, "same")).isEqualTo(AccessPolicy.AUTHENTICATED.withEnvironment("live"));
    assertThat(policy(LiveClass.class, "scoped"))
        .isEqualTo(new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of("a.write"), Set.of(), "live"));
    assertThat(policy(LiveClass.class, "denied")).isEqualTo(AccessPolicy.DENIED.withEnvironment("live"));
    assertThat(policy(EnvironmentOnMethods.class, "live")).isEqualTo(AccessPolicy.AUTHENTICATED.withEnvironment("live"));
    assertThat(policy(EnvironmentOnMethods.class, "none")).isEqualTo(AccessPolicy.AUTHENTICATED);
    assertThat(policy(EnvironmentOnMethods.class, "none").environment()).isNull();
    assertThat(policy(EnvironmentLimits.class, "one").environment()).isEqualTo("x");
    assertThat(policy(EnvironmentLimits.class, "sixtyFour").environment()).isEqualTo("e".repeat(64));
    assertThatThrownBy(() -> policy(EnvironmentLimits.class, "sixtyFive")).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("invalid environment '" + "e".repeat(65) + "'");
  }

  @Test
  void aClassAndAMethodOfDifferentEnvironmentsFailDeployment() {
    assertThatThrownBy(() -> policy(LiveClass.class, "other")).isInstanceOf(IllegalStateException.class)
        .hasMessage("conflicting @RequireEnvironment: " + LiveClass.class.getName() + ".other() accepts 'test' keys, "
            + "its class " + LiveClass.class.getName() + " 'live' keys; both would have to hold");
  }

  @Test
  void anEnvironmentOnAPublicResourceFailsDeployment() {
    assertThatThrownBy(() -> policy(LiveClass.class, "open")).isInstanceOf(IllegalStateException.class)
        .hasMessage("@RequireEnvironment(\"live\") needs a credential, but " + LiveClass.class.getName()
            + ".open() is public (@PublicResource or @PermitAll)");
    assertThatThrownBy(() -> policy(EnvironmentOnMethods.class, "permitted")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is public");
  }

  @Test
  void anEmptyOrPaddedEnvironmentFailsDeployment() {
    assertThatThrownBy(() -> policy(EnvironmentOnMethods.class, "empty")).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("invalid environment '' required on ")
        .hasMessageEndingWith(": 1 to 64 characters without leading or trailing white space");
    assertThatThrownBy(() -> policy(EnvironmentOnMethods.class, "padded")).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("invalid environment ' live' required on ");
  }

  private static AccessPolicy policy(Class<?> type, String method) throws Exception {
    Method m = type.getMethod(method);
    return AccessAnnotations.policy(type, m);
  }
}
