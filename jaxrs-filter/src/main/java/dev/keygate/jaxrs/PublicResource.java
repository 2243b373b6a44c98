package dev.keygate.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Leaves a resource class or method open: Keygate neither asks for nor checks credentials there
 * (health checks, sign-up). {@code jakarta.annotation.security.PermitAll} means the same. On a
 * class it can be overridden per method by {@link RequireScopes} or {@code @RolesAllowed}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface PublicResource {}
