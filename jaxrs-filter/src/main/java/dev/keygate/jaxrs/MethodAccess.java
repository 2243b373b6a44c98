package dev.keygate.jaxrs;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.ArrayList;
import java.util.List;

/**
 * What a request to one resource method must satisfy: the method's own {@link AccessPolicy},
 * resolved at deployment, and, when the request came through sub-resource locators, each
 * locator's. A locator's requirement always applies; the sub-resource can add to it but never
 * relax it (a {@code @PermitAll} method behind a locator asking for {@code orders.admin} still
 * needs {@code orders.admin}).
 */
final class MethodAccess {
  private final List<AccessPolicy> own;

  MethodAccess(AccessPolicy own) {
    this.own = own.isPublic() ? List.of() : List.of(own);
  }

  /** Every policy the request must satisfy, outermost first; empty when it is public. */
  List<AccessPolicy> required(ContainerRequestContext request) {
    // reached directly: a single matched resource, nothing to look up (a shortcut: along() answers
    // an empty list then too, so dropping it changes no answer; PIT: equivalent)
    if (request.getUriInfo().getMatchedResources().size() < 2) {
      return own;
    }
    List<AccessPolicy> all = new ArrayList<>(SubResourceLocators.along(request.getUriInfo()));
    all.removeIf(AccessPolicy::isPublic);
    all.addAll(own);
    return all;
  }

  @Override
  public String toString() {
    return own.isEmpty() ? "public" : own.get(0).toString();
  }
}
