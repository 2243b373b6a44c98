package dev.keygate;

import org.jspecify.annotations.Nullable;

/**
 * The client behind one request: its forwarding chain is walked once, when a check first needs the
 * address or the scheme, and the answer is kept for the later checks of the same request (the
 * HTTPS check, the failure throttle, the allowlist and the audit event all ask). Confined to the
 * request's thread.
 */
final class Caller {
  private final AuthenticationRequest request;
  private final ClientAddressResolver resolver;
  private ClientAddressResolver.@Nullable Walk walk;

  Caller(AuthenticationRequest request, ClientAddressResolver resolver) {
    this.request = request;
    this.resolver = resolver;
  }

  /** The client address, trusted proxies honoured. */
  ClientAddress address() {
    return walk().client();
  }

  /** Whether the request reached the first proxy over HTTPS (a secure connection needs no walk). */
  boolean secure() {
    return request.secure() || walk().https();
  }

  private ClientAddressResolver.Walk walk() {
    if (walk == null) {
      walk = resolver.walk(request);
    }
    return walk;
  }
}
