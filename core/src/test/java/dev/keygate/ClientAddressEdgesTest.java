package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which address a request comes from, and whether it came over HTTPS, for the forwarding-header
 * shapes real proxies and hostile clients produce. The address decides allowlists and the failure
 * throttle; the scheme decides {@code requireHttps}.
 */
class ClientAddressEdgesTest {
  private static final String PROXY = "10.0.0.1";

  private final ClientAddressResolver xff = ClientAddressResolver.trusting(List.of("10.0.0.0/8"));
  private final ClientAddressResolver rfc7239 =
      ClientAddressResolver.trusting(List.of("10.0.0.0/8"), ForwardingHeader.FORWARDED);

  private String viaXff(String... values) {
    AuthenticationRequest.Builder b = AuthenticationRequest.from(PROXY);
    for (String v : values) {
      b.xForwardedFor(v);
    }
    return xff.resolve(b.build()).text();
  }

  private String viaForwarded(String value) {
    return rfc7239.resolve(AuthenticationRequest.from(PROXY).forwarded(value).build()).text();
  }

  @Test
  void aPeerThatIsNoIpAddressIsTheClientAndInNoRange() {
    ClientAddress local = xff.resolve(AuthenticationRequest.from("local:unix-socket").xForwardedFor("203.0.113.9").build());
    assertThat(local.text()).isEqualTo("local:unix-socket");
    assertThat(local.bytes()).isNull();
    assertThat(xff.isSecure(AuthenticationRequest.from("local").xForwardedProto("https").build())).isFalse();
  }

  @Test
  void anUntrustedPeerKeepsTheServersOwnTextForItsAddress() {
    ClientAddress c = xff.resolve(AuthenticationRequest.from("[2001:db8::7]").xForwardedFor("10.0.0.5").build());
    assertThat(c.text()).isEqualTo("[2001:db8::7]");
    assertThat(c.bytes()).isEqualTo(IpRange.parseAddress("2001:db8::7"));
  }

  @Test
  void aChainOfTrustedProxiesOnlyEndsAtTheFirstProxysView() {
    assertThat(viaXff("10.0.0.5")).as("the first proxy's own client, though trusted").isEqualTo("10.0.0.5");
    assertThat(viaXff("10.0.0.7, 10.0.0.5")).isEqualTo("10.0.0.7");
    StringBuilder chain = new StringBuilder("10.9.9.9");
    for (int i = 1; i < 31; i++) {
      chain.append(", 10.0.0.").append(i);
    }
    assertThat(viaXff(chain.toString())).as("31 hops: the whole chain is read").isEqualTo("10.9.9.9");
    chain.append(", 10.0.0.31");
    assertThat(xff.resolve(AuthenticationRequest.from(PROXY).xForwardedFor(chain.toString()).build()))
        .as("32 trusted hops: the chain may go on beyond what is read").isEqualTo(ClientAddress.UNKNOWN);
  }

  @Test
  void anUntrustedHopBeyondTheLast32IsNeverRead() {
    StringBuilder chain = new StringBuilder("203.0.113.9");
    for (int i = 0; i < 32; i++) {
      chain.append(", 10.0.0.").append(i);
    }
    assertThat(xff.resolve(AuthenticationRequest.from(PROXY).xForwardedFor(chain.toString()).build()))
        .isEqualTo(ClientAddress.UNKNOWN);
  }

  @Test
  void onlyTheLast4096CharactersOfAChainAreRead() {
    String tail = ", 10.0.0.5";
    String client = "203.0.113.9";
    String exactly = client + " ".repeat(4096 - client.length() - tail.length()) + tail;
    assertThat(exactly).hasSize(4096);
    assertThat(viaXff(exactly)).as("4096 characters are read whole").isEqualTo(client);
    String longer = client + " ".repeat(5000) + tail;
    assertThat(viaXff(longer)).as("the cut-off start of an over-long chain is not believed").isNotEqualTo(client);
    // a window starting exactly at a comma drops nothing that was readable
    String rest = " ".repeat(4095 - client.length()) + client;
    assertThat(viaXff("6.6.6.6," + rest)).isEqualTo(client);
  }

  @Test
  void emptyItemsAndLinesDoNotHideTheClient() {
    assertThat(viaXff(", 203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(viaXff("", "203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(viaXff("")).as("an empty header names no client: the proxy itself").isEqualTo(PROXY);
  }

  @Test
  void portsAreStrippedFromForwardedAddresses() {
    assertThat(viaXff("203.0.113.9:4711")).isEqualTo("203.0.113.9");
    assertThat(viaXff("[2001:db8::7]:4711")).isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(viaXff("[2001:db8::7]")).isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(viaXff("2001:db8::7")).as("a bare IPv6 address has no port").isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(xff.resolve(AuthenticationRequest.from(PROXY).xForwardedFor("[2001:db8::7").build()))
        .isEqualTo(ClientAddress.UNKNOWN);
    assertThat(xff.resolve(AuthenticationRequest.from(PROXY).xForwardedFor("203.0.113.9:80:80").build()))
        .isEqualTo(ClientAddress.UNKNOWN);
  }

  @Test
  void forwardedElementsAreReadLeniently() {
    assertThat(viaForwarded("garbage;for=203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(viaForwarded("=x;For=203.0.113.9")).isEqualTo("203.0.113.9");
    assertThat(viaForwarded("by=10.0.0.1; for = \"203.0.113.9\" ")).isEqualTo("203.0.113.9");
  }

  @Test
  void forwardedElementsThatNameNoClientAreUnknown() {
    for (String value : List.of("proto=https", "for=", "for=\"", "for=\"\"", "for=203.0.113.9\"", "for=x1.2.3.4\"",
        "for=\"203.0.113.99", "for=_hidden", "for=unknown")) {
      assertThat(rfc7239.resolve(AuthenticationRequest.from(PROXY).forwarded(value).build())).as(value)
          .isEqualTo(ClientAddress.UNKNOWN);
    }
  }

  @Test
  void anHttpsConnectionIsSecureWhateverTheHeadersSay() {
    assertThat(xff.isSecure(AuthenticationRequest.from("203.0.113.9").secure(true).build())).isTrue();
    assertThat(xff.isSecure(AuthenticationRequest.from(PROXY).secure(true).xForwardedProto("http").build())).isTrue();
    assertThat(xff.isSecure(AuthenticationRequest.from("203.0.113.9").xForwardedProto("https").build())).isFalse();
  }

  @Test
  void withForwardedOnlyAClientWrittenXForwardedProtoIsIgnored() {
    assertThat(rfc7239.isSecure(AuthenticationRequest.from(PROXY).xForwardedProto("https").build())).isFalse();
    assertThat(rfc7239.isSecure(AuthenticationRequest.from(PROXY).forwarded("for=203.0.113.9;proto=HTTPS").build()))
        .isTrue();
    assertThat(xff.isSecure(AuthenticationRequest.from(PROXY).xForwardedProto("https").build()))
        .as("the proxy itself was reached over HTTPS").isTrue();
  }

  @Test
  void aSingleXForwardedProtoDescribesTheLastHopOnly() {
    // the client wrote its own X-Forwarded-For; the proxy appended the client and set the scheme
    assertThat(xff.isSecure(AuthenticationRequest.from(PROXY).xForwardedFor("6.6.6.6, 203.0.113.9")
        .xForwardedProto("https").build())).isTrue();
    // client -> proxy 10.0.0.5 -> proxy 10.0.0.1: the scheme is the one 10.0.0.1 saw from 10.0.0.5
    assertThat(xff.isSecure(AuthenticationRequest.from(PROXY).xForwardedFor("203.0.113.9, 10.0.0.5")
        .xForwardedProto("https").build())).isFalse();
    assertThat(xff.isSecure(AuthenticationRequest.from(PROXY).xForwardedFor("203.0.113.9, 10.0.0.5").build()))
        .isFalse();
  }

  @Test
  void ipv6ClientsShareAThrottleBucketPerSlash64() {
    ClientAddress a = xff.resolve(AuthenticationRequest.from("2001:db8:a:b:1:2:3:4").build());
    ClientAddress b = xff.resolve(AuthenticationRequest.from("2001:db8:a:b:ffff::1").build());
    ClientAddress c = xff.resolve(AuthenticationRequest.from("2001:db8:a:c::1").build());
    assertThat(a.throttleKey()).isEqualTo(b.throttleKey()).isEqualTo("2001:db8:a:b::/64");
    assertThat(c.throttleKey()).isEqualTo("2001:db8:a:c::/64");
    assertThat(xff.resolve(AuthenticationRequest.from("203.0.113.9").build()).throttleKey()).isEqualTo("203.0.113.9");
    assertThat(ClientAddress.UNKNOWN.throttleKey()).isEqualTo("unknown");
    assertThat(ClientAddress.UNKNOWN).hasToString("unknown");
  }

  @Test
  void theResolverShowsItsConfiguration() {
    assertThat(rfc7239.toString()).contains("10.0.0.0/8").contains("FORWARDED");
    assertThat(ClientAddressResolver.trusting(List.of(" 10.0.0.1 ")).resolve(
        AuthenticationRequest.from("10.0.0.1").xForwardedFor("203.0.113.9").build()).text())
        .as("entries are trimmed").isEqualTo("203.0.113.9");
  }
}
