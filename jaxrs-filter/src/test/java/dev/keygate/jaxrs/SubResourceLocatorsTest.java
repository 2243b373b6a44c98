package dev.keygate.jaxrs;

import static dev.keygate.jaxrs.InheritedResources.ADMIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.keygate.jaxrs.InheritedResources.Sub;
import dev.keygate.jaxrs.InheritedResources.Vault;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

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

  private static List<AccessPolicy> along(String path, String... matchedUris) {
    return along(new Vault(), path, matchedUris);
  }

  private static List<AccessPolicy> along(Object root, String path, String... matchedUris) {
    UriInfo uri = mock(UriInfo.class);
    when(uri.getMatchedResources()).thenReturn(List.of(new Sub("x"), root));
    when(uri.getPath(false)).thenReturn(path);
    when(uri.getMatchedURIs(false)).thenReturn(List.of(matchedUris));
    when(uri.getMatchedURIs(true)).thenReturn(List.of(matchedUris));
    return SubResourceLocators.along(uri);
  }
}
