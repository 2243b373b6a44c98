package dev.keygate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@link AuthenticationEngine#authenticate} decided: {@link Authenticated}, {@link Refused}
 * (with everything an adapter needs to write the response), or {@link Deferred} (a Bearer token
 * and no Bearer authenticator: the application handles it).
 */
public sealed interface AuthenticationResult
    permits AuthenticationResult.Authenticated,
        AuthenticationResult.Refused,
        AuthenticationResult.Deferred {

  /** The request is authenticated as {@code principal}. */
  record Authenticated(KeygatePrincipal principal) implements AuthenticationResult {
    /**
     * Checks the principal is present.
     *
     * @param principal who is calling
     */
    public Authenticated {
      Objects.requireNonNull(principal, "principal");
    }
  }

  /** Keygate does not decide: a Bearer token arrived and no {@link BearerTokenAuthenticator} is set. */
  record Deferred() implements AuthenticationResult {}

  /**
   * The request is refused.
   *
   * @param reason the row of the response table
   * @param retryAfterSeconds for 429 and 503, when to retry (at least 1); else 0
   * @param requiredScopes for {@link Refusal#INSUFFICIENT_SCOPE}, the scopes the endpoint needs
   * @param challenge the {@code WWW-Authenticate} value for 401s
   * @param requiredEnvironment for {@link Refusal#ENVIRONMENT_NOT_ALLOWED}, the environment the
   *     endpoint accepts; else empty
   */
  record Refused(Refusal reason, long retryAfterSeconds, Set<String> requiredScopes, String challenge,
      String requiredEnvironment) implements AuthenticationResult {

    /**
     * Copies the scopes.
     *
     * @param reason why the request is refused
     * @param retryAfterSeconds seconds for {@code Retry-After} (429 and 503), else 0
     * @param requiredScopes the scopes a 403 for missing scopes names, else empty
     * @param challenge the {@code WWW-Authenticate} value of a 401, else empty
     * @param requiredEnvironment the environment a 403 for a key of another environment names,
     *     else empty
     */
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(challenge, "challenge");
      Objects.requireNonNull(requiredEnvironment, "requiredEnvironment");
      requiredScopes = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(requiredScopes));
    }

    /**
     * A refusal that names no environment.
     *
     * @param reason why the request is refused
     * @param retryAfterSeconds seconds for {@code Retry-After} (429 and 503), else 0
     * @param requiredScopes the scopes a 403 for missing scopes names, else empty
     * @param challenge the {@code WWW-Authenticate} value of a 401, else empty
     */
    public Refused(Refusal reason, long retryAfterSeconds, Set<String> requiredScopes, String challenge) {
      this(reason, retryAfterSeconds, requiredScopes, challenge, "");
    }

    /**
     * The refusal an adapter sends when an authenticated principal is not of the environment an
     * endpoint requires.
     *
     * @param required the environment the endpoint accepts
     * @return the 403 naming {@code required} as {@code required_environment}
     */
    public static Refused environmentNotAllowed(String required) {
      return new Refused(Refusal.ENVIRONMENT_NOT_ALLOWED, 0, Set.of(), "", required);
    }

    /**
     * The refusal an adapter sends when an authenticated principal lacks scopes.
     *
     * @param required the scopes the endpoint needs
     * @return the refusal an adapter sends when an authenticated principal lacks scopes
     */
    public static Refused insufficientScope(Set<String> required) {
      return new Refused(Refusal.INSUFFICIENT_SCOPE, 0, required, "");
    }

    /**
     * The 429 for a rate limit (the engine's throttles, or an application's own {@link
     * RateLimiter}).
     *
     * @param retryAfterSeconds when to retry, at least 1
     * @return the 429 for a rate limit (the engine's throttles, or an application's own {@link
     *     RateLimiter})
     */
    public static Refused throttled(long retryAfterSeconds) {
      return new Refused(Refusal.RATE_LIMITED, retryAfterSeconds, Set.of(), "");
    }

    /**
     * The HTTP status.
     *
     * @return the HTTP status
     */
    public int status() {
      return reason.status();
    }

    /**
     * The {@code detail} text, with the retry time for 429.
     *
     * @return the {@code detail} text, with the retry time for 429
     */
    public String detail() {
      if (reason == Refusal.RATE_LIMITED) {
        return "Request was throttled. Expected available in " + retryAfterSeconds + " seconds.";
      }
      return reason.detail();
    }

    /**
     * The JSON body: {@code {"detail": ...}}, plus {@code required_scopes} for a missing scope and
     * {@code required_environment} for a key of another environment.
     *
     * @return the JSON body
     */
    public String body() {
      StringBuilder sb = new StringBuilder(96).append("{\"detail\":");
      Json.appendString(sb, detail());
      if (reason == Refusal.INSUFFICIENT_SCOPE) {
        sb.append(",\"required_scopes\":[");
        int i = 0;
        for (String s : requiredScopes) {
          if (i++ > 0) {
            sb.append(',');
          }
          Json.appendString(sb, s);
        }
        sb.append(']');
      }
      if (reason == Refusal.ENVIRONMENT_NOT_ALLOWED) {
        sb.append(",\"required_environment\":");
        Json.appendString(sb, requiredEnvironment);
      }
      return sb.append('}').toString();
    }

    /**
     * The response headers: {@code Content-Type}, {@code Cache-Control: no-store}, {@code
     * WWW-Authenticate} on 401, {@code Retry-After} on 429 and 503.
     *
     * @return the response headers
     */
    public Map<String, String> headers() {
      Map<String, String> h = new LinkedHashMap<>();
      h.put("Content-Type", "application/json");
      h.put("Cache-Control", "no-store");
      if (reason.status() == 401) {
        h.put("WWW-Authenticate", challenge);
      }
      if (retryAfterSeconds > 0) {
        h.put("Retry-After", Long.toString(retryAfterSeconds));
      }
      return h;
    }
  }
}
