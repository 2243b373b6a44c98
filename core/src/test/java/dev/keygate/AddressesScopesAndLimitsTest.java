package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesScopesAndLimitsTest {

  @ParameterizedTest
  @CsvSource({
    "10.0.0.0/8, 10.255.1.2, true",
    "10.0.0.0/8, 11.0.0.1, false",
    "192.168.1.7, 192.168.1.7, true",
    "192.168.1.7, 192.168.1.8, false",
    "0.0.0.0/0, 8.8.8.8, true",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "::1, ::1, true",
    "10.0.0.0/8, ::ffff:10.0.0.1, true",
    "198.51.100.0/24, 2001:db8::1, false"
  })
  void ipRangesMatch(String range, String address, boolean expected) {
    IpRange r = IpRange.parse(range);
    assertThat(r).isNotNull();
    assertThat(r.contains(IpRange.parseAddress(address))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "example.com", "10.0.0.0/33", "10.0.0/8", "1.2.3.4.5", "::1/129", "10.0.0.0/-1",
      "300.1.1.1", "10.0.0.0/8/8", " 10.0.0.1", "0x7f.0.0.1", "1e100", "fe80::1%eth0"})
  void invalidRangesAreRejectedWithoutDns(String text) {
    assertThat(IpRange.parse(text)).isNull();
  }

  @Test
  void clientAddressHonoursForwardingOnlyFromTrustedProxies() {
    ClientAddressResolver resolver = ClientAddressResolver.trusting(List.of("10.0.0.0/8", "::1"));
    assertThat(resolver.resolve(AuthenticationRequest.from("203.0.113.1").xForwardedFor("1.2.3.4").build()).text())
        .isEqualTo("203.0.113.1");
    assertThat(resolver.resolve(AuthenticationRequest.from("10.0.0.1").xForwardedFor("1.2.3.4, 10.0.0.9").build()).text())
        .isEqualTo("1.2.3.4");
    assertThat(resolver.resolve(AuthenticationRequest.from("10.0.0.1").xForwardedFor("6.6.6.6, 1.2.3.4").build()).text())
        .as("right-most untrusted wins").isEqualTo("1.2.3.4");
    assertThat(resolver.resolve(AuthenticationRequest.from("10.0.0.1")
        .forwarded("for=6.6.6.6, for=\"[2001:db8::7]:4711\";proto=https").build()).text())
        .as("Forwarded is not what these proxies write: a client may have sent it").isEqualTo("10.0.0.1");
    ClientAddressResolver rfc7239 = ClientAddressResolver.trusting(List.of("10.0.0.0/8"),
        ForwardingHeader.FORWARDED);
    assertThat(rfc7239.resolve(AuthenticationRequest.from("10.0.0.1")
        .forwarded("for=6.6.6.6, for=\"[2001:db8::7]:4711\";proto=https").xForwardedFor("1.1.1.1").build()).text())
        .isEqualTo("2001:db8:0:0:0:0:0:7");
    assertThat(resolver.resolve(AuthenticationRequest.from("10.0.0.1").xForwardedFor("garbage, 10.0.0.5").build()))
        .as("a hop that is not an IP fails closed").isEqualTo(ClientAddress.UNKNOWN);
    assertThat(resolver.resolve(AuthenticationRequest.from("10.0.0.1").xForwardedFor("unknown").build()))
        .isEqualTo(ClientAddress.UNKNOWN);
    assertThat(resolver.resolve(AuthenticationRequest.from("::1").xForwardedFor("1.2.3.4").build()).text()).isEqualTo("1.2.3.4");
    assertThat(resolver.resolve(AuthenticationRequest.from("10.0.0.1").build()).text()).isEqualTo("10.0.0.1");
    assertThat(resolver.resolve(AuthenticationRequest.from("[0:0:0:0:0:0:0:1]").xForwardedFor("1.2.3.4").build()).text())
        .as("bracketed IPv6 peers, as some servers report them").isEqualTo("1.2.3.4");
    assertThatThrownBy(() -> ClientAddressResolver.trusting(List.of("proxy.internal")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.internal");
  }

  @Test
  void paddingTheClientWrittenPartCannotHideTheRealClient() {
    ClientAddressResolver resolver = ClientAddressResolver.trusting(List.of("10.0.0.0/8"));
    StringBuilder forty = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      forty.append("10.0.0.").append(i).append(", ");
    }
    assertThat(resolver.resolve(AuthenticationRequest.from("10.0.0.1").xForwardedFor(forty + "203.0.113.9").build()).text())
        .isEqualTo("203.0.113.9");
    String longPadding = "10.0.0.2, ".repeat(600); // about 6 KB, over the 4 KB read
    assertThat(resolver.resolve(AuthenticationRequest.from("10.0.0.1").xForwardedFor(longPadding + "203.0.113.9").build()).text())
        .isEqualTo("203.0.113.9");
    assertThat(resolver.resolve(AuthenticationRequest.from("10.0.0.1").xForwardedFor(forty + "10.0.0.99").build()))
        .as("nothing but trusted hops in what we read").isEqualTo(ClientAddress.UNKNOWN);
  }

  @Test
  void theSchemeIsTheClientHops() {
    ClientAddressResolver xff = ClientAddressResolver.trusting(List.of("10.0.0.0/8"));
    // client -(http)-> edge 10.0.0.5 -(https)-> balancer 10.0.0.1 -> us: both appended
    assertThat(xff.isSecure(AuthenticationRequest.from("10.0.0.1").xForwardedFor("203.0.113.9, 10.0.0.5")
        .xForwardedProto("http, https").build())).isFalse();
    assertThat(xff.isSecure(AuthenticationRequest.from("10.0.0.1").xForwardedFor("203.0.113.9, 10.0.0.5")
        .xForwardedProto("https, http").build())).isTrue();
    // one proxy that sets the header about its own client
    assertThat(xff.isSecure(AuthenticationRequest.from("10.0.0.1").xForwardedFor("203.0.113.9").xForwardedProto("https").build()))
        .isTrue();
    // the client wrote its own X-Forwarded-Proto, the proxy appended the real one
    assertThat(xff.isSecure(AuthenticationRequest.from("10.0.0.1").xForwardedFor("203.0.113.9")
        .xForwardedProto("https, http").build())).isFalse();
    ClientAddressResolver rfc7239 = ClientAddressResolver.trusting(List.of("10.0.0.0/8"),
        ForwardingHeader.FORWARDED);
    assertThat(rfc7239.isSecure(AuthenticationRequest.from("10.0.0.1")
        .forwarded("for=203.0.113.9;proto=http, for=10.0.0.5;proto=https").build())).isFalse();
    assertThat(rfc7239.isSecure(AuthenticationRequest.from("10.0.0.1")
        .forwarded("for=203.0.113.9;proto=https, for=10.0.0.5;proto=http").build())).isTrue();
  }

  @Test
  void addressParsingNeverLooksUpNames() {
    for (String s : new String[] {".a:b:c", "[.a:b]", "g::1", "localhost", "::1%lo", "a.b:c"}) {
      assertThat(IpRange.parseAddress(s)).as(s).isNull();
    }
  }

  @Test
  void perKeyBucketsLiveAsLongAsTheirPeriod() {
    MutableClock clock = MutableClock.atEpochOfTests();
    RateLimiter limiter = RateLimiter.of(new RateLimit(1, Duration.ofSeconds(1)), clock);
    RateLimit hourly = new RateLimit(2, Duration.ofHours(1));
    assertThat(limiter.tryAcquire("k", hourly)).isZero();
    assertThat(limiter.tryAcquire("k", hourly)).isZero();
    clock.advance(Duration.ofSeconds(61));
    assertThat(limiter.tryAcquire("k", hourly)).as("idle for a minute is not a new hour").isPositive();
  }

  @Test
  void scopeMatching() {
    assertThat(Scopes.grants(Set.of("*"), "anything.at.all")).isTrue();
    assertThat(Scopes.grants(Set.of("orders.*"), "orders.read")).isTrue();
    assertThat(Scopes.grants(Set.of("orders.*"), "orders.read.bulk")).isTrue();
    assertThat(Scopes.grants(Set.of("orders.*"), "orders")).isFalse();
    assertThat(Scopes.grants(Set.of("orders.*"), "ordersx.read")).isFalse();
    assertThat(Scopes.grants(Set.of("orders.read"), "orders.write")).isFalse();
    assertThat(Scopes.grants(Set.of(), "orders.read")).isFalse();
    assertThat(Scopes.grantsAll(Set.of("a", "b.*"), Set.of("a", "b.c"))).isTrue();
    assertThat(Scopes.grantsAll(Set.of("a"), Set.of("a", "b"))).isFalse();
    assertThat(Scopes.grantsAny(Set.of("a"), Set.of("x", "a"))).isTrue();
    assertThat(Scopes.grantsAny(Set.of("a"), Set.of("x"))).isFalse();
    assertThat(Scopes.isValid("orders.read")).isTrue();
    assertThat(Scopes.isValid("orders.*")).isTrue();
    assertThat(Scopes.isValid("*.orders")).isFalse();
    assertThat(Scopes.isValid("has space")).isFalse();
    assertThat(Scopes.isValid("")).isFalse();
  }

  @Test
  void rateLimiterRefillsSmoothlyAndReportsRetryTime() {
    MutableClock clock = MutableClock.atEpochOfTests();
    RateLimiter limiter = RateLimiter.of(new RateLimit(5, Duration.ofMinutes(1)), clock);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("1.2.3.4")).isZero();
    }
    assertThat(limiter.tryAcquire("1.2.3.4")).isEqualTo(12);
    assertThat(limiter.retryAfter("1.2.3.4")).isEqualTo(12);
    assertThat(limiter.tryAcquire("5.6.7.8")).as("buckets are per key").isZero();
    clock.advance(Duration.ofSeconds(12));
    assertThat(limiter.tryAcquire("1.2.3.4")).isZero();
    assertThat(limiter.tryAcquire("1.2.3.4")).isEqualTo(12);
    assertThatThrownBy(() -> RateLimiter.of(new RateLimit(1, Duration.ofSeconds(1)), clock, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
