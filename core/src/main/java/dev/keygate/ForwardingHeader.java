package dev.keygate;

/**
 * Which header the trusted reverse proxies write ({@link Keygate.Builder#forwardingHeader}); only
 * that one is read, since a header of the other kind may come from the client.
 */
public enum ForwardingHeader {
  /** {@code X-Forwarded-For} with {@code X-Forwarded-Proto} (nginx, HAProxy, most load balancers). */
  X_FORWARDED_FOR,
  /** {@code Forwarded} (RFC 7239) with its {@code for} and {@code proto} parameters. */
  FORWARDED
}
