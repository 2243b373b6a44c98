package dev.keygate;

import dev.keygate.AuthenticationResult.Refused;
import java.util.Set;

/**
 * The engine's refusals, built once: each 401 carries the {@code WWW-Authenticate} challenge for
 * the schemes this engine accepts (the first API-key header, and Bearer when a token authenticator
 * is configured).
 */
final class Challenges {
  private static final long UNAVAILABLE_RETRY_SECONDS = 1;

  private final Refused missingCredentials;
  private final Refused invalidKey;
  private final Refused revoked;
  private final Refused expired;
  private final Refused invalidBearer;
  private final Refused httpsRequired = refusal(Refusal.HTTPS_REQUIRED, "");
  private final Refused ipNotAllowed = refusal(Refusal.IP_NOT_ALLOWED, "");
  private final Refused unavailable = new Refused(Refusal.UNAVAILABLE, UNAVAILABLE_RETRY_SECONDS, Set.of(), "");

  Challenges(String apiKeyHeader, boolean bearer) {
    String challenge = "ApiKey realm=\"keygate\", header=\"" + apiKeyHeader + "\"";
    if (bearer) {
      challenge += ", Bearer realm=\"keygate\"";
    }
    this.missingCredentials = refusal(Refusal.MISSING_CREDENTIALS, challenge);
    this.invalidKey = refusal(Refusal.INVALID_KEY, challenge);
    this.revoked = refusal(Refusal.REVOKED, challenge);
    this.expired = refusal(Refusal.EXPIRED, challenge);
    this.invalidBearer = refusal(Refusal.INVALID_BEARER_TOKEN, "Bearer realm=\"keygate\", error=\"invalid_token\"");
  }

  private static Refused refusal(Refusal reason, String challenge) {
    return new Refused(reason, 0, Set.of(), challenge);
  }

  /** 401: no API key and no Bearer token. */
  Refused missingCredentials() {
    return missingCredentials;
  }

  /** 401: the key is malformed, unknown or its secret is wrong. */
  Refused invalidKey() {
    return invalidKey;
  }

  /** 401 for a key whose secret matched but is {@link KeyStatus#REVOKED} or expired. */
  Refused inactive(KeyStatus status) {
    return status == KeyStatus.REVOKED ? revoked : expired;
  }

  /** 401: a Bearer token the authenticator did not accept. */
  Refused invalidBearer() {
    return invalidBearer;
  }

  /** 403: plain HTTP where HTTPS is required. */
  Refused httpsRequired() {
    return httpsRequired;
  }

  /** 403: the client address is not on the key's allowlist. */
  Refused ipNotAllowed() {
    return ipNotAllowed;
  }

  /** 503: the store or the hashing capacity could not answer; retry in a second. */
  Refused unavailable() {
    return unavailable;
  }
}
