package dev.keygate.jaxrs;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.Keygate;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Keygate for a JAX-RS application in one line: {@code register(new KeygateFeature(keygate))}.
 *
 * <p>Every resource method then needs a valid credential unless it is public ({@link
 * PublicResource} or {@code @PermitAll}); {@link RequireScopes} and {@code @RolesAllowed} (roles
 * read as scopes) ask for scopes, {@code @DenyAll} refuses everybody. A method's annotations
 * replace its class's. Annotations are inherited: those on a method are looked up on the method,
 * then on the superclasses and interfaces that declare it, and only then on the class, its
 * superclasses and its interfaces. A sub-resource locator's requirement (its own annotations or
 * its class's, or a valid credential when there are none) applies to everything reached through
 * it; the sub-resource adds to it and never relaxes it. Annotations are resolved once at
 * deployment; a resource carrying conflicting ones fails deployment. Authentication runs at {@link
 * jakarta.ws.rs.Priorities#AUTHENTICATION} ({@link KeygateRequestFilter}), scope checks at {@link
 * jakarta.ws.rs.Priorities#AUTHORIZATION}.
 *
 * <p>A Bearer token the engine cannot verify (it has no {@link
 * dev.keygate.BearerTokenAuthenticator}) is refused with 401 unless {@link
 * Builder#deferBearerTokens} says otherwise.
 *
 * <p>On a servlet container the peer address is read from the servlet request (the servlet API is
 * optional); elsewhere give a resolver with {@link Builder#peerAddress}. Works on any JAX-RS 3.1
 * runtime; it registers nothing on clients.
 */
public final class KeygateFeature implements Feature {
  private static final boolean SERVLET_API = present("jakarta.servlet.http.HttpServletRequest");

  private final AuthenticationEngine engine;
  private final Function<ContainerRequestContext, @Nullable String> peerAddress;
  private final boolean allowPreflight;
  private final boolean deferBearerTokens;
  private final Refused missingCredentials;

  /**
   * The feature with default settings (see {@link Builder}), asking {@code keygate}'s engine; the
   * application keeps {@code keygate} and closes it.
   *
   * @param keygate what verifies the keys
   * @throws NullPointerException if {@code keygate} is null
   */
  public KeygateFeature(Keygate keygate) {
    this(builder(keygate));
  }

  /**
   * The feature with default settings (see {@link Builder}), asking {@code engine} (what {@link
   * Keygate#engine()} returns).
   *
   * @param engine what verifies the keys
   * @throws NullPointerException if {@code engine} is null
   */
  public KeygateFeature(AuthenticationEngine engine) {
    this(builder(engine));
  }

  private KeygateFeature(Builder b) {
    this.engine = b.engine;
    this.peerAddress = b.peerAddress;
    this.allowPreflight = b.allowPreflight != null && b.allowPreflight;
    this.deferBearerTokens = b.deferBearerTokens != null && b.deferBearerTokens;
    this.missingCredentials = engine.missingCredentials();
  }

  /**
   * A builder for a feature that asks {@code keygate}'s engine.
   *
   * @param keygate what verifies the keys
   * @return a builder with every setting at its default
   * @throws NullPointerException if {@code keygate} is null
   */
  public static Builder builder(Keygate keygate) {
    return new Builder(Objects.requireNonNull(keygate, "keygate").engine());
  }

  /**
   * A builder for a feature that asks {@code engine} (what {@link Keygate#engine()} returns).
   *
   * @param engine what verifies the keys
   * @return a builder with every setting at its default
   * @throws NullPointerException if {@code engine} is null
   */
  public static Builder builder(AuthenticationEngine engine) {
    return new Builder(engine);
  }

  @Override
  public boolean configure(FeatureContext context) {
    if (context.getConfiguration().getRuntimeType() == RuntimeType.CLIENT) {
      return false;
    }
    // true wherever the tests run (Jetty); without the servlet API the filter cannot load
    // (PIT: dropping the guard is not testable here)
    if (SERVLET_API) {
      context.register(new ServletPeerAddressFilter());
    }
    context.register(new AccessControlFeature(this,
        new KeygateRequestFilter(engine, peerAddress, allowPreflight, deferBearerTokens)));
    return true;
  }

  AuthenticationEngine engine() {
    return engine;
  }

  Refused missingCredentials() {
    return missingCredentials;
  }

  boolean allowsPreflight() {
    return allowPreflight;
  }

  @Override
  public String toString() {
    return "KeygateFeature[" + engine + ", allowPreflight=" + allowPreflight
        + ", deferBearerTokens=" + deferBearerTokens + "]";
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, KeygateFeature.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Settings of a {@link KeygateFeature}; {@link #build()} may be called more than once. */
  public static final class Builder {
    private final AuthenticationEngine engine;
    private Function<ContainerRequestContext, @Nullable String> peerAddress = request -> null;
    private boolean peerAddressSet;
    private @Nullable Boolean allowPreflight;
    private @Nullable Boolean deferBearerTokens;

    private Builder(AuthenticationEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * How to learn a request's TCP peer address when the servlet request is not available (a
     * non-servlet runtime). Without one, such requests have an unknown address: keys with an IP
     * allow-list are refused and failures are throttled as if from one client.
     *
     * @param resolver the peer address of a request, or null when unknown
     * @return this builder
     * @throws IllegalStateException if a resolver was already given
     */
    public Builder peerAddress(Function<ContainerRequestContext, @Nullable String> resolver) {
      if (peerAddressSet) {
        throw new IllegalStateException("peerAddress was already set");
      }
      this.peerAddress = Objects.requireNonNull(resolver, "resolver");
      this.peerAddressSet = true;
      return this;
    }

    /**
     * Whether CORS preflight requests ({@code OPTIONS} with {@code Origin} and {@code
     * Access-Control-Request-Method}) pass without credentials, as browsers send none; default
     * false (closed): a preflight is authenticated and checked like any request, so an API called
     * from browsers on other origins must turn this on. The servlet filter's setting has the same
     * name and default.
     *
     * @param allow whether preflight requests pass without credentials
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder allowPreflight(boolean allow) {
      if (allowPreflight != null) {
        throw new IllegalStateException("allowPreflight was already set to " + allowPreflight);
      }
      this.allowPreflight = allow;
      return this;
    }

    /**
     * Whether a request carrying {@code Authorization: Bearer} (and no API key) that the engine
     * cannot verify, because it has no {@link dev.keygate.BearerTokenAuthenticator}, continues
     * to the application's own authentication; default false: it is refused with 401 {@code
     * Invalid bearer token.} and a {@code WWW-Authenticate: Bearer ..., error="invalid_token"}
     * challenge, like any credential the engine cannot accept.
     *
     * <p>When true, such a request goes on without a Keygate principal. Whatever principal the
     * application's own filter then sets (before {@link jakarta.ws.rs.Priorities#AUTHORIZATION})
     * is checked against the same annotations, scopes read through {@code
     * SecurityContext.isUserInRole}; without one, protected methods answer the engine's 401.
     * Without such a filter, leave this off. It has no effect when the engine verifies Bearer
     * tokens itself.
     *
     * @param defer true to hand unverifiable Bearer tokens to the application
     * @return this builder
     * @throws IllegalStateException if already set
     */
    public Builder deferBearerTokens(boolean defer) {
      if (deferBearerTokens != null) {
        throw new IllegalStateException("deferBearerTokens was already set to " + deferBearerTokens);
      }
      this.deferBearerTokens = defer;
      return this;
    }

    /**
     * The feature.
     *
     * @return the feature
     */
    public KeygateFeature build() {
      return new KeygateFeature(this);
    }
  }
}
