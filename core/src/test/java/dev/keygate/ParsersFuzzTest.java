package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Set;

/**
 * Coverage-guided fuzzing of every parser that reads attacker-controlled text. {@code mvn verify}
 * replays the checked-in inputs under {@code src/test/resources/dev/keygate/ParsersFuzzTestInputs};
 * {@code JAZZER_FUZZ=1} fuzzes (see SECURITY.md).
 */
// in the root package: the CIDR and forwarding-header parsers it fuzzes are package-private
class ParsersFuzzTest {
  private static final KeyFormat FORMAT = KeyFormat.withPrefix("kg_live");
  private static final List<String> TRUSTED = List.of("10.0.0.0/8", "fd00::/8", "127.0.0.1");
  private static final ClientAddressResolver XFF = ClientAddressResolver.trusting(TRUSTED);
  private static final ClientAddressResolver RFC7239 =
      ClientAddressResolver.trusting(TRUSTED, ForwardingHeader.FORWARDED);

  /** The parser never throws; whatever it accepts is exactly its input, well-formed, and re-parses. */
  @FuzzTest(maxDuration = "30s")
  void keyParser(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    ParsedKey key = FORMAT.parse(text);
    if (key != null) {
      assertThat(key.plaintext()).isEqualTo(text);
      assertThat(text).matches("kg_live_[0-9A-Za-z]{50}");
      assertThat(KeyFormat.isValidKeyId(key.id())).isTrue();
      assertThat(key.toString()).doesNotContain(text.substring(20));
      assertThat(FORMAT.parse(FORMAT.generate(key.id()).plaintext())).isNotNull();
    }
  }

  /** A range either fails to parse or contains its own base address; parsing never throws. */
  @FuzzTest(maxDuration = "30s")
  void cidrParser(FuzzedDataProvider data) {
    String range = data.consumeString(80);
    String address = data.consumeRemainingAsString();
    IpRange r = IpRange.parse(range);
    byte[] a = IpRange.parseAddress(address);
    if (r != null) {
      String base = range.contains("/") ? range.substring(0, range.indexOf('/')) : range;
      byte[] b = IpRange.parseAddress(base);
      assertThat(b).as("a parsed range has a parseable base").isNotNull();
      assertThat(r.contains(b)).isTrue();
      if (a != null) {
        r.contains(a);
      }
    }
  }

  /** Address resolution never throws and answers the peer or an IP literal from the headers. */
  @FuzzTest(maxDuration = "30s")
  void forwardingHeaders(FuzzedDataProvider data) {
    String peer = data.pickValue(new String[] {"10.1.2.3", "127.0.0.1", "203.0.113.9", "fd00::1", "::1", "garbage"});
    AuthenticationRequest.Builder b = AuthenticationRequest.from(peer);
    int n = data.consumeInt(0, 4);
    for (int i = 0; i < n; i++) {
      switch (data.consumeInt(0, 2)) {
        case 0 -> b.forwarded(data.consumeString(300));
        case 1 -> b.xForwardedFor(data.consumeString(300));
        default -> b.xForwardedProto(data.consumeString(20));
      }
    }
    AuthenticationRequest request = b.build();
    for (ClientAddressResolver resolver : List.of(XFF, RFC7239)) {
      ClientAddress client = resolver.resolve(request);
      assertThat(client.text()).isNotNull();
      if (client.bytes() == null) {
        assertThat(client.text()).isIn(peer, ClientAddress.UNKNOWN.text());
      } else {
        assertThat(IpRange.parseAddress(client.text())).isEqualTo(client.bytes());
      }
      if (peer.equals("203.0.113.9") || peer.equals("::1")) {
        assertThat(client.bytes()).as("untrusted peers are the client").isEqualTo(IpRange.parseAddress(peer));
        assertThat(resolver.isSecure(request)).isFalse();
      }
    }
  }

  /** Scope matching never throws; a granted scope always grants itself and "*" grants all. */
  @FuzzTest(maxDuration = "30s")
  void scopes(FuzzedDataProvider data) {
    String granted = data.consumeString(100);
    String required = data.consumeRemainingAsString();
    boolean valid = Scopes.isValid(granted);
    boolean grants = Scopes.grants(Set.of(granted), required);
    assertThat(Scopes.grants(Set.of("*"), required)).isTrue();
    if (valid && !granted.endsWith("*")) {
      assertThat(Scopes.grants(Set.of(granted), granted)).isTrue();
      assertThat(grants).isEqualTo(granted.equals(required));
    }
  }
}
