package dev.keygate.jaxrs;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.Keygate;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates requests with an {@link AuthenticationEngine}. On success the request's {@link
 * jakarta.ws.rs.core.SecurityContext} becomes the caller's: {@code getUserPrincipal()} is the
 * {@link dev.keygate.KeygatePrincipal}, {@code isUserInRole(scope)} checks its scopes, {@code
 * getAuthenticationScheme()} is {@code API_KEY} or {@code BEARER} and {@code isSecure()} is kept.
 * On refusal the request is aborted with the engine's status, JSON body and headers. CORS preflight
 * requests pass unless configured otherwise.
 *
 * <p>An {@code Authorization: Bearer} token (without an API key) that the engine cannot check,
 * because it has no {@link dev.keygate.BearerTokenAuthenticator}, is refused like any credential it
 * cannot accept: 401 {@code Invalid bearer token.} with a {@code WWW-Authenticate} challenge ({@link
 * AuthenticationEngine#invalidBearerToken()}). Only {@link KeygateFeature.Builder#deferBearerTokens}
 * lets such requests continue, without a Keygate principal, to the application's own
 * authentication.
 *
 * <p>{@link KeygateFeature} runs this filter for every resource method a request needs credentials
 * for (not public, or reached through a sub-resource locator that is not), with the scope checks
 * after it; register it yourself only to authenticate every request of an application, public or
 * not (registered that way, it always refuses Bearer tokens the engine cannot verify). The peer address comes from the servlet request when {@link
 * KeygateFeature} runs on a servlet container; otherwise from the resolver given to the
 * constructor. Thread-safe.
 */
@Priority(Priorities.AUTHENTICATION)
public final class KeygateRequestFilter implements ContainerRequestFilter {
  /** Request property holding the TCP peer address, set before matching on servlet containers. */
  static final String PEER_ADDRESS_PROPERTY = "dev.keygate.jaxrs.peerAddress";
  /** The peer address used when nothing tells it; it matches no allow-list entry. */
  static final String UNKNOWN_PEER = "unknown";

  private final AuthenticationEngine engine;
  private final Function<ContainerRequestContext, @Nullable String> peerAddress;
  private final boolean allowPreflight;
  private final boolean deferBearerTokens;

  /**
   * A filter that asks {@code keygate}'s engine, lets CORS preflights through and reads the peer
   * address from the servlet request when {@link KeygateFeature} is registered too.
   *
   * @param keygate decides every request
   * @throws NullPointerException if {@code keygate} is null
   */
  public KeygateRequestFilter(Keygate keygate) {
    this(Objects.requireNonNull(keygate, "keygate").engine());
  }

  /**
   * A filter that asks {@code engine} (what {@link Keygate#engine()} returns), authenticates CORS
   * preflights like any request (the closed default, as {@link KeygateFeature.Builder#allowPreflight}
   * says) and reads the peer address from the servlet request when {@link KeygateFeature} is
   * registered too.
   *
   * @param engine decides every request
   * @throws NullPointerException if {@code engine} is null
   */
  public KeygateRequestFilter(AuthenticationEngine engine) {
    this(engine, request -> null, false);
  }

  /**
   * A filter that asks {@code engine}.
   *
   * @param engine decides every request
   * @param peerAddress the TCP peer address of a request, used when the servlet request does not
   *     tell it; null for unknown (no allow-listed key then passes)
   * @param allowPreflight whether CORS preflight requests pass without credentials
   */
  public KeygateRequestFilter(AuthenticationEngine engine,
      Function<ContainerRequestContext, @Nullable String> peerAddress, boolean allowPreflight) {
    this(engine, peerAddress, allowPreflight, false);
  }

  KeygateRequestFilter(AuthenticationEngine engine,
      Function<ContainerRequestContext, @Nullable String> peerAddress, boolean allowPreflight,
      boolean deferBearerTokens) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.peerAddress = Objects.requireNonNull(peerAddress, "peerAddress");
    this.allowPreflight = allowPreflight;
    this.deferBearerTokens = deferBearerTokens;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (allowPreflight && Refusals.isPreflight(request)) {
      return;
    }
    boolean secure = request.getSecurityContext().isSecure();
    AuthenticationResult result = engine.authenticate(AuthenticationRequest.of(
        name -> request.getHeaders().getOrDefault(name, List.of()),
        engine.apiKeyHeaders(), () -> peerAddress(request), secure));
    if (result instanceof Authenticated authenticated) {
      request.setSecurityContext(new KeygateSecurityContext(authenticated.principal(), secure));
    } else if (result instanceof Refused refused) {
      request.abortWith(Refusals.toResponse(refused));
    } else if (!deferBearerTokens) {
      // Deferred: a Bearer token nothing here can verify; only an explicit opt-in lets it through
      request.abortWith(Refusals.toResponse(engine.invalidBearerToken()));
    }
  }

  /**
   * The servlet request's address, else the resolver's. Null and blank both mean unknown, so a
   * resolver answering "" decides as one answering null (PIT: equivalent, for the default
   * resolvers {@code request -> null}); a servlet container never reports a null or blank
   * address (PIT: those two guards are not reachable on Jetty).
   */
  private String peerAddress(ContainerRequestContext request) {
    if (request.getProperty(PEER_ADDRESS_PROPERTY) instanceof Supplier<?> fromServlet
        && fromServlet.get() instanceof String address && !address.isBlank()) {
      return address;
    }
    String resolved = peerAddress.apply(request);
    return resolved == null || resolved.isBlank() ? UNKNOWN_PEER : resolved;
  }

  @Override
  public String toString() {
    return "KeygateRequestFilter[" + engine + ", deferBearerTokens=" + deferBearerTokens + "]";
  }
}
