package dev.keygate.jaxrs;

import static dev.keygate.jaxrs.InheritedResources.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import dev.keygate.jaxrs.InheritedResources.Sub;
import dev.keygate.jaxrs.InheritedResources.Vault;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.UriInfo;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Which locators apply, given what a runtime reports about a request. The runtimes themselves are
 * in {@link InheritedAccessContract}; this replays reports a runtime can get wrong (a mocked
 * {@link UriInfo} is the only way to get a wrong one without matrix parameters).
 */
class SubResourceLocatorsTest {
  private static final AccessPolicy ADMIN_ONLY =
      new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of(ADMIN), Set.of());

  @Test
  void thePathConsumedPicksTheLocatorsWhoseTemplateMatchesIt() {
    assertThat(along("vault/admin", "vault/admin", "vault"))
        .as("'admin' is also one segment for {id}: both apply")
        .containsExactlyInAnyOrder(ADMIN_ONLY, AccessPolicy.AUTHENTICATED);
    assertThat(along("vault/other", "vault/other", "vault"))
        .containsExactly(AccessPolicy.AUTHENTICATED);
    assertThat(along("vault/a/b", "vault/a/b", "vault")).containsExactly(AccessPolicy.AUTHENTICATED);
  }

  @Test
  void aMiscutReportOrMatrixParametersLeaveEveryLocatorApplying() {
    // Jersey 3.1 reports "vault/adm" for the root when matrix parameters follow it
    assertThat(along("vault/admin", "vault/admin", "vault/adm")).contains(ADMIN_ONLY);
    assertThat(along("vault/admin;m=1", "vault/admin;m=1", "vault")).contains(ADMIN_ONLY);
    assertThat(along("vault/other", "vault/other")).as("too few entries").contains(ADMIN_ONLY);
    assertThat(along("vault/other", "elsewhere/other", "vault")).contains(ADMIN_ONLY);
  }

  public interface ItemsApi {
    @Path("items") @RolesAllowed(ADMIN) Sub items();
  }

  @Path("catalog")
  public static class Catalog implements ItemsApi {
    @Override public Sub items() { return new Sub("items"); }
  }

  /** Only a locator, so no DynamicFeature ever sees this class: its conflict shows per request. */
  @Path("broken")
  public static class Broken {
    @Path("sub") @RequireScopes(ADMIN) @PermitAll public Sub sub() { return new Sub("sub"); }
  }

  @Test
  void aLocatorDeclaredOnAnInterfaceCarriesItsAnnotations() {
    assertThat(along(new Catalog(), "catalog/items", "catalog/items", "catalog"))
        .containsExactly(new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of(), Set.of(ADMIN)));
  }

  @Test
  void aLocatorWithConflictingAnnotationsFoundAtRequestTimeDeniesEverybody() {
    assertThat(along(new Broken(), "broken/sub", "broken/sub", "broken"))
        .containsExactly(AccessPolicy.DENIED);
  }

  private static final AccessPolicy READ = scopes("orders.read");
  private static final AccessPolicy WRITE = scopes("orders.write");
  private static final AccessPolicy DELETE = scopes("orders.delete");

  @Test
  void matrixParametersAnywhereOrAPathNoTemplateMatchesLeaveEveryLocatorApplying() {
    assertThat(along(";m=1/vault/other", "vault/other", "vault")).contains(ADMIN_ONLY);
    assertThat(along("vault/a/b/c", "vault/a/b/c", "vault"))
        .containsExactlyInAnyOrder(ADMIN_ONLY, AccessPolicy.AUTHENTICATED);
    assertThat(along("vault/other")).as("no matched URIs at all").contains(ADMIN_ONLY);
  }

  @Test
  void aRequestThatReachedNoLocatorHasNoLocatorPolicies() {
    UriInfo direct = mock(UriInfo.class);
    when(direct.getMatchedResources()).thenReturn(List.of(new Vault()));
    assertThat(SubResourceLocators.along(direct)).isEmpty();
    UriInfo none = mock(UriInfo.class);
    when(none.getMatchedResources()).thenReturn(List.of());
    assertThat(SubResourceLocators.along(none)).isEmpty();
  }

  public static class Left {
    @GET public String get() { return "left"; }
  }

  public static class Right {
    @GET public String get() { return "right"; }
  }

  public static class Middle {
    @Path("left") @RequireScopes("orders.read") public Left left() { return new Left(); }

    @Path("left-too") @RequireScopes("orders.write") public Left leftToo() { return new Left(); }

    @Path("right") @RequireScopes("orders.delete") public Right right() { return new Right(); }
  }

  @Path("outer")
  public static class Outer {
    @Path("middle") @RequireScopes(ADMIN) public Middle middle() { return new Middle(); }
  }

  @Test
  void throughTwoLocatorsEachStepIsReadFromItsOwnPathAndType() {
    Object[] toLeft = {new Left(), new Middle(), new Outer()};
    assertThat(along(toLeft, "outer/middle/left", "outer/middle/left", "outer/middle", "outer"))
        .containsExactly(ADMIN_ONLY, READ);
    assertThat(along(toLeft, "outer/middle/left-too", "outer/middle/left-too", "outer/middle",
        "outer")).containsExactly(ADMIN_ONLY, WRITE);
    assertThat(along(toLeft, "outer/middle/left", "outer/middle", "outer"))
        .as("the inner step's path is not reported: both locators returning Left apply")
        .containsExactly(ADMIN_ONLY, READ, WRITE);
    assertThat(along(new Object[] {new Right(), new Middle(), new Outer()},
        "outer/middle;m=1/right", "outer/middle;m=1/right", "outer/middle;m=1", "outer"))
        .as("path unread: the type tells").containsExactly(ADMIN_ONLY, DELETE);
  }

  @Path("hub")
  public static class Hub {
    @Path("/") @RequireScopes("orders.read") public Sub self() { return new Sub("self"); }

    @Path("admin") @RequireScopes(ADMIN) public Sub admin() { return new Sub("admin"); }
  }

  @Test
  void anUnreportedPathIsNotTakenForAnEmptyOne() {
    assertThat(along(new Hub(), "hub/admin", "hub/admin"))
        .containsExactlyInAnyOrder(READ, ADMIN_ONLY);
    assertThat(along(new Hub(), "hub", "hub", "hub")).containsExactly(READ);
  }

  @Test
  void emptyAndSlashOnlyTemplatesMatchTheEmptyPathOnly() {
    for (String template : List.of("", "/", "///")) {
      assertThat(SubResourceLocators.template(template).matcher("").matches()).as(template).isTrue();
      assertThat(SubResourceLocators.template(template).matcher("x").matches()).as(template).isFalse();
    }
    assertThat(SubResourceLocators.template("{:[0-9]+}").matcher("12").matches()).isTrue();
    assertThat(SubResourceLocators.template("{:[0-9]+}").matcher("ab").matches()).isFalse();
  }

  public interface PlainItemsApi {
    @Path("items") Sub items();
  }

  /** Access annotations are not JAX-RS annotations: the interface's @Path still applies. */
  @Path("guarded")
  public static class GuardedItems implements PlainItemsApi {
    @Override @RolesAllowed(ADMIN) public Sub items() { return new Sub("items"); }
  }

  public interface ShelfApi {
    @Path("{id}") Sub shelf(@PathParam("id") String id);
  }

  /** Any JAX-RS annotation on the implementation, even a parameter's, hides the interface's. */
  @Path("racks")
  public static class Racks implements ShelfApi {
    @Override @RequireScopes("orders.read") public Sub shelf(@PathParam("id") String id) {
      return new Sub(id);
    }
  }

  /** An HTTP method annotation of the application's own, as {@code @PATCH} was before JAX-RS 2.1. */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @HttpMethod("PURGE")
  public @interface Purge {}

  /** The implementation is a resource method (its own PURGE), not the interface's locator. */
  @Path("purged")
  public static class PurgedItems implements PlainItemsApi {
    @Override @Purge public Sub items() { return new Sub("purged"); }
  }

  @Test
  void theJaxRsDeclarationOfALocatorIsTheNearestWithAnyJaxRsAnnotation() {
    assertThat(along(new GuardedItems(), "guarded/items", "guarded/items", "guarded"))
        .containsExactly(new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of(), Set.of(ADMIN)));
    assertThat(along(new Racks(), "racks/1", "racks/1", "racks"))
        .as("no locator left: refused").containsExactly(AccessPolicy.DENIED);
    assertThat(along(new PurgedItems(), "purged/items", "purged/items", "purged"))
        .as("no locator left: refused").containsExactly(AccessPolicy.DENIED);
  }

  public interface Supplies<T> {
    @Path("item") T item();
  }

  /**
   * Beside its locators: a resource method returning a sub-resource type, a bridge (item() for
   * Supplies), a static method with @Path, a public helper and a locator returning a Class.
   */
  @Path("depot")
  public static class Depot implements Supplies<Left> {
    @Override @RequireScopes("orders.read") public Left item() { return new Left(); }

    @Path("right") @RequireScopes("orders.write") public Right right() { return new Right(); }

    @GET @Path("raw") @DenyAll public Object raw() { return new Right(); }

    @Path("fixed") @DenyAll public static Object fixed() { return new Right(); }

    @Path("made") @RequireScopes("orders.delete") public Class<Sub> made() { return Sub.class; }

    public String describe() { return "depot"; }
  }

  @Test
  void onlyInstanceLocatorsCountAndALocatorReturningAClassMayReturnAnything() {
    assertThat(along(new Object[] {new Right(), new Depot()}, "depot;m=1/right",
        "depot;m=1/right", "depot;m=1")).containsExactlyInAnyOrder(WRITE, DELETE);
    assertThat(along(new Object[] {new Left(), new Depot()}, "depot;m=1/item",
        "depot;m=1/item", "depot;m=1")).containsExactlyInAnyOrder(READ, DELETE);
    assertThat(along(new Object[] {new Sub("x"), new Depot()}, "depot;m=1/made",
        "depot;m=1/made", "depot;m=1")).containsExactly(DELETE);
  }

  /** A root resource built in code: no @Path annotation to check the report against. */
  public static class Unrouted {
    @Path("admin") @RequireScopes(ADMIN) public Sub admin() { return new Sub("admin"); }

    @Path("{id}") public Sub any(@PathParam("id") String id) { return new Sub(id); }
  }

  @Path("odd")
  public static class Odd {
    @Path("{unclosed") @RequireScopes(ADMIN) public Sub odd() { return new Sub("odd"); }

    @Path("{id}") public Sub any(@PathParam("id") String id) { return new Sub(id); }
  }

  @Test
  void aRootWithoutPathIsTrustedAndAnUnreadableTemplateAlwaysApplies() {
    assertThat(along(new Unrouted(), "x/other", "x/other", "x"))
        .containsExactly(AccessPolicy.AUTHENTICATED);
    assertThat(along(new Odd(), "odd/x", "odd/x", "odd"))
        .containsExactlyInAnyOrder(ADMIN_ONLY, AccessPolicy.AUTHENTICATED);
  }

  @Test
  void aClassWithoutLocatorsThatARuntimeReportsAsOneRefusesEverybody() {
    assertThat(along(new InheritedResources.Shared(), "shared/x", "shared/x", "shared"))
        .containsExactly(AccessPolicy.DENIED);
  }

  /** A root path that differs encoded and decoded: each form of the report is checked. */
  @Path("café")
  public static class Cafe extends Vault {}

  /** Percent signs in a @Path value are literal here: only the encoded report matches it. */
  @Path("a%20b")
  public static class Spaced extends Vault {}

  @Test
  void theReportIsTrustedWhenEitherItsEncodedOrItsDecodedRootIsTheRootsPath() {
    assertThat(along(new Object[] {new Sub("x"), new Cafe()}, "caf%C3%A9/other",
        List.of("caf%C3%A9/other", "caf%C3%A9"), List.of("café/other", "café")))
        .containsExactly(AccessPolicy.AUTHENTICATED);
    assertThat(along(new Object[] {new Sub("x"), new Spaced()}, "a%20b/other",
        List.of("a%20b/other", "a%20b"), List.of("a b/other", "a b")))
        .containsExactly(AccessPolicy.AUTHENTICATED);
    assertThat(along(new Object[] {new Sub("x"), new Cafe()}, "cafe/other",
        List.of("cafe/other", "cafe"), List.of("cafe/other", "cafe")))
        .as("neither form is the root's path").contains(ADMIN_ONLY);
  }

  @Test
  void aSubResourceOfATypeNoLocatorDeclaresIsJudgedByPathAmongAllLocators() {
    assertThat(along(new Object[] {new Left(), new Vault()}, "vault/admin", "vault/admin", "vault"))
        .containsExactlyInAnyOrder(ADMIN_ONLY, AccessPolicy.AUTHENTICATED);
    assertThat(along(new Object[] {new Left(), new Vault()}, "vault/x/y", "vault/x/y", "vault"))
        .containsExactly(AccessPolicy.AUTHENTICATED);
  }

  @Test
  void anUnreadablePathLeavesEveryLocatorOfTheTypeApplyingUnreadableTemplatesIncluded() {
    assertThat(along(new Odd(), "odd;m=1/x", "odd;m=1/x", "odd;m=1"))
        .containsExactlyInAnyOrder(ADMIN_ONLY, AccessPolicy.AUTHENTICATED);
  }

  /** Not a JAX-RS annotation, on a parameter. */
  @Target(ElementType.PARAMETER)
  @Retention(RetentionPolicy.RUNTIME)
  public @interface Audited {}

  /** Only a parameter annotation of the application's own: the interface's @Path still applies. */
  @Path("audited")
  public static class AuditedRacks implements ShelfApi {
    @Override @RequireScopes("orders.read") public Sub shelf(@Audited String id) {
      return new Sub(id);
    }
  }

  @Test
  void anApplicationsOwnParameterAnnotationDoesNotHideTheInterfacesPath() {
    assertThat(along(new AuditedRacks(), "audited/1", "audited/1", "audited")).containsExactly(READ);
  }

  @Test
  void aRequestThroughAClassWithoutLocatorsIsLoggedOncePerClass() {
    Logger logger = (Logger) LoggerFactory.getLogger(SubResourceLocators.class);
    ListAppender<ILoggingEvent> events = new ListAppender<>();
    events.start();
    logger.addAppender(events);
    try {
      for (int i = 0; i < 3; i++) {
        assertThat(along(new InheritedResources.Shared(), "shared/x", "shared/x", "shared"))
            .containsExactly(AccessPolicy.DENIED);
      }
    } finally {
      logger.detachAppender(events);
    }
    assertThat(events.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.ERROR);
      assertThat(e.getFormattedMessage()).contains(Sub.class.getName(),
          InheritedResources.Shared.class.getName(), "refused");
    });
  }

  private static List<AccessPolicy> along(Object[] matched, String path, List<String> encoded,
      List<String> decoded) {
    UriInfo uri = mock(UriInfo.class);
    when(uri.getMatchedResources()).thenReturn(List.of(matched));
    when(uri.getPath(false)).thenReturn(path);
    when(uri.getMatchedURIs(false)).thenReturn(encoded);
    when(uri.getMatchedURIs(true)).thenReturn(decoded);
    return SubResourceLocators.along(uri);
  }

  private static AccessPolicy scopes(String... allOf) {
    return new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of(allOf), Set.of());
  }

  private static List<AccessPolicy> along(Object[] matched, String path, String... matchedUris) {
    UriInfo uri = mock(UriInfo.class);
    when(uri.getMatchedResources()).thenReturn(List.of(matched));
    when(uri.getPath(false)).thenReturn(path);
    when(uri.getMatchedURIs(false)).thenReturn(List.of(matchedUris));
    when(uri.getMatchedURIs(true)).thenReturn(List.of(matchedUris));
    return SubResourceLocators.along(uri);
  }

  private static List<AccessPolicy> along(String path, String... matchedUris) {
    return along(new Vault(), path, matchedUris);
  }

  private static List<AccessPolicy> along(Object root, String path, String... matchedUris) {
    return along(new Object[] {new Sub("x"), root}, path, matchedUris);
  }
}
