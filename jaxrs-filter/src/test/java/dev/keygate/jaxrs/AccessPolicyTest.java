package dev.keygate.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import java.lang.reflect.Method;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How annotations resolve to one policy per resource method, at deployment. */
class AccessPolicyTest {
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
    assertThat(AccessPolicy.of(SubclassOfScoped.class, SubclassOfScoped.class.getMethod("own")))
        .isEqualTo(new AccessPolicy(AccessPolicy.Access.PROTECTED, Set.of("a.read"), Set.of()));
  }

  @Test
  void conflictingOrInvalidAnnotationsFailDeployment() {
    assertThatThrownBy(() -> policy(Scoped.class, "conflicting"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("conflicting");
    assertThatThrownBy(() -> policy(Scoped.class, "invalid"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("invalid scope");
  }

  private static AccessPolicy policy(Class<?> type, String method) throws Exception {
    Method m = type.getMethod(method);
    return AccessPolicy.of(type, m);
  }
}
