package dev.keygate;

/**
 * Why a request was refused; each constant is one row of Keygate's response table, with the
 * status and the {@code detail} the adapters send. Only a caller whose secret matched ever learns
 * {@link #EXPIRED} or {@link #REVOKED}; every other key problem is {@link #INVALID_KEY}.
 */
public enum Refusal {
  /** No API key header and no Bearer token. */
  MISSING_CREDENTIALS(401, "Authentication credentials were not provided."),
  /** Malformed key, bad checksum, unknown id, wrong secret, or several different keys sent. */
  INVALID_KEY(401, "Invalid API key."),
  /** A Bearer token the configured {@link BearerTokenAuthenticator} did not accept. */
  INVALID_BEARER_TOKEN(401, "Invalid bearer token."),
  /** The secret matched, but the key is past its expiry. */
  EXPIRED(401, "API key has expired."),
  /** The secret matched, but the key was revoked. */
  REVOKED(401, "API key has been revoked."),
  /** The client address is not on the key's allowlist. */
  IP_NOT_ALLOWED(403, "IP address not allowed."),
  /** The credential is valid but lacks a scope the endpoint requires. */
  INSUFFICIENT_SCOPE(403, "You do not have permission to perform this action."),
  /**
   * The credential is valid but of an environment the endpoint does not accept (a test key on a
   * live-only route, say).
   */
  ENVIRONMENT_NOT_ALLOWED(403, "This endpoint does not accept keys of this environment."),
  /** Plain HTTP where HTTPS is required. */
  HTTPS_REQUIRED(403, "HTTPS is required."),
  /** Too many requests for the key, or too many failures from the client address. */
  RATE_LIMITED(429, "Request was throttled."),
  /** The store is unreachable (and the key is not cached) or hashing capacity is exhausted. */
  UNAVAILABLE(503, "Authentication service temporarily unavailable.");

  private final int status;
  private final String detail;

  Refusal(int status, String detail) {
    this.status = status;
    this.detail = detail;
  }

  /**
   * The HTTP status to answer with.
   *
   * @return the HTTP status to answer with
   */
  public int status() {
    return status;
  }

  /**
   * The fixed part of the {@code detail} text. For {@link #RATE_LIMITED} the response adds
   * "Expected available in N seconds." (see {@link AuthenticationResult.Refused#detail()}).
   *
   * @return the fixed part of the {@code detail} text
   */
  public String detail() {
    return detail;
  }
}
