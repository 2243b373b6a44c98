package dev.keygate.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scopes a caller needs for a resource class or method. A method's annotation replaces its
 * class's. A caller that has not authenticated gets the engine's 401; one that lacks a scope gets
 * 403 with {@code required_scopes}.
 *
 * <pre>{@code
 * @Path("/orders")
 * @RequireScopes("orders.read")                 // every method needs orders.read ...
 * public class OrdersResource {
 *   @POST
 *   @RequireScopes("orders.write")              // ... except this one, which needs orders.write
 *   public Response create(Order o) { ... }
 *
 *   @DELETE
 *   @RequireScopes(any = {"orders.admin", "admin"}) // one of these is enough
 *   public void purge() { ... }
 * }
 * }</pre>
 *
 * <p>{@code @RequireScopes} with neither attribute asks only for a valid credential. Scopes
 * granted with a wildcard ({@code orders.*}, {@code *}) count, and a key with no scopes has every
 * scope unless the engine is configured otherwise.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequireScopes {
  /**
   * Scopes the caller must all hold.
   *
   * @return the scopes, all required
   */
  String[] value() default {};

  /**
   * Scopes of which the caller must hold at least one (ignored when empty).
   *
   * @return the scopes, one of which is required
   */
  String[] any() default {};
}
