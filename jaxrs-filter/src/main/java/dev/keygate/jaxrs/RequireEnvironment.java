package dev.keygate.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one environment whose keys a resource class or method accepts: with a key format of one
 * prefix per environment ({@code KeyFormat.withEnvironments}), a test key on a live-only route.
 * A caller that has not authenticated gets the engine's 401; one of another environment (or of
 * none, such as a Bearer token) gets 403 {@code This endpoint does not accept keys of this
 * environment.} with {@code required_environment}.
 *
 * <pre>{@code
 * @Path("/payouts")
 * @RequireEnvironment("live")                   // every method takes live keys only
 * public class PayoutsResource {
 *   @POST
 *   @RequireScopes("payouts.write")             // ... and this one needs a scope too
 *   public Response create(Payout p) { ... }
 * }
 * }</pre>
 *
 * <p>Unlike the scope annotations, the class's and the method's both hold: they must name the same
 * environment, or deployment fails (no key could pass both). Found like the scope annotations:
 * on the method or the declarations it overrides (interfaces, superclasses), on the class or its
 * ancestors, and on a sub-resource locator (then for everything behind it). It needs a credential,
 * so it cannot stand beside {@link PublicResource} or {@code @PermitAll}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequireEnvironment {
  /**
   * The environment accepted (a key's environment, e.g. {@code live}).
   *
   * @return the environment
   */
  String value();
}
