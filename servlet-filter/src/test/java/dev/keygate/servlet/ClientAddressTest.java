package dev.keygate.servlet;

import dev.keygate.ForwardingHeader;
import dev.keygate.NewKey;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client address and scheme as the engine sees them through a reverse proxy: the test client
 * connects from 127.0.0.1, which plays the proxy when trusted.
 */
class ClientAddressTest extends FilterTestBase {
  private static final String IP_NOT_ALLOWED = "{\"detail\":\"IP address not allowed.\"}";
  private static final String HTTPS_REQUIRED = "{\"detail\":\"HTTPS is required.\"}";

  private String officeKey;

  @BeforeEach
  void createKey() {
    officeKey = keys.create(NewKey.named("office").withAllowedIps(List.of("10.0.0.0/8"))).plaintext();
  }

  @Test
  void xForwardedForFromTrustedProxyIsTheClientAddress() {
    TestServer s = serve(keys.keygate().trustedProxies(List.of("127.0.0.1")), f -> {});

    assertEchoed(s.get("/orders", "X-API-Key", officeKey, "X-Forwarded-For", "10.1.2.3"));
    assertRefused(s.get("/orders", "X-API-Key", officeKey, "Forwarded", "for=10.1.2.3;proto=http"), 403,
        IP_NOT_ALLOWED, null, null); // these proxies write X-Forwarded-For: a Forwarded header came from the client
    assertRefused(s.get("/orders", "X-API-Key", officeKey, "X-Forwarded-For", "192.0.2.9"), 403,
        IP_NOT_ALLOWED, null, null);
    assertRefused(s.get("/orders", "X-API-Key", officeKey), 403, IP_NOT_ALLOWED, null, null);
  }

  @Test
  void forwardedFromTrustedProxyWhenConfigured() {
    TestServer s = serve(keys.keygate().trustedProxies(List.of("127.0.0.1"))
        .forwardingHeader(ForwardingHeader.FORWARDED), f -> {});

    assertEchoed(s.get("/orders", "X-API-Key", officeKey, "Forwarded", "for=10.1.2.3;proto=http"));
    assertRefused(s.get("/orders", "X-API-Key", officeKey, "X-Forwarded-For", "10.1.2.3"), 403,
        IP_NOT_ALLOWED, null, null);
  }

  @Test
  void onlyTheHopTheTrustedProxyAddedIsBelieved() {
    TestServer s = serve(keys.keygate().trustedProxies(List.of("127.0.0.1")), f -> {});

    // the client wrote 10.1.2.3 itself; the proxy appended the address it really came from
    assertRefused(s.get("/orders", "X-API-Key", officeKey, "X-Forwarded-For", "10.1.2.3, 192.0.2.9"), 403,
        IP_NOT_ALLOWED, null, null);
  }

  @Test
  void xForwardedForFromUntrustedPeerIsIgnored() {
    TestServer s = serve();

    assertRefused(s.get("/orders", "X-API-Key", officeKey, "X-Forwarded-For", "10.1.2.3"), 403,
        IP_NOT_ALLOWED, null, null);
    assertRefused(s.get("/orders", "X-API-Key", officeKey, "Forwarded", "for=10.1.2.3"), 403,
        IP_NOT_ALLOWED, null, null);
  }

  @Test
  void httpsAtTheTrustedProxyCounts() {
    String key = keys.key();
    TestServer s = serve(keys.keygate().requireHttps(true).trustedProxies(List.of("127.0.0.1")), f -> {});

    assertEchoed(s.get("/orders", "X-API-Key", key, "X-Forwarded-Proto", "https"));
    assertRefused(s.get("/orders", "X-API-Key", key, "Forwarded", "for=10.1.2.3;proto=https"), 403, HTTPS_REQUIRED,
        null, null);
    assertRefused(s.get("/orders", "X-API-Key", key, "X-Forwarded-Proto", "http"), 403, HTTPS_REQUIRED, null, null);
  }

  @Test
  void httpsClaimFromUntrustedPeerIsIgnored() {
    String key = keys.key();
    TestServer s = serve(keys.keygate().requireHttps(true), f -> {});

    assertRefused(s.get("/orders", "X-API-Key", key, "X-Forwarded-Proto", "https"), 403, HTTPS_REQUIRED, null, null);
  }
}
