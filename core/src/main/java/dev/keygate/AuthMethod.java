package dev.keygate;

/** How a principal authenticated. */
public enum AuthMethod {
  /** With an API key header. */
  API_KEY,
  /** With an {@code Authorization: Bearer} token accepted by a {@link BearerTokenAuthenticator}. */
  BEARER
}
