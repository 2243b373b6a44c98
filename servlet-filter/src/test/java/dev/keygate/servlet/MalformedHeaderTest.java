package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.IssuedKey;
import dev.keygate.KeygatePrincipal;
import dev.keygate.NewKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Header values no client should send, written byte for byte on a socket: whatever reaches the
 * filter gets 401 JSON; what Jetty's HTTP parser refuses never reaches it; nothing is a 500.
 */
class MalformedHeaderTest extends FilterTestBase {

  static Stream<byte[]> malformedKeys() {
    return Stream.of(
        "",
        "   ",
        "a".repeat(10 * 1024),
        "kg_test_" + "A".repeat(10 * 1024),
        "kg_test_\u00e9\u00e9\u00e9",
        "kg_test_abc\tdef",
        "kg_test_abc, kg_test_def",
        "\"kg_test_quoted\"",
        "Bearer kg_test_abc")
        .map(v -> ("X-API-Key: " + v).getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @MethodSource("malformedKeys")
  void malformedKeyGets401Json(byte[] header) {
    TestServer s = serve();

    assertRefused(s.raw("/orders", List.of(header)), 401, INVALID_KEY, CHALLENGE);
  }

  @Test
  void rawLatin1AndUtf8BytesGet401Json() {
    TestServer s = serve();
    byte[] latin1 = {'X', '-', 'A', 'P', 'I', '-', 'K', 'e', 'y', ':', ' ', 'k', 'g', (byte) 0xff, (byte) 0x80};
    byte[] utf8 = "X-API-Key: kg_test_\u2603\u00a0".getBytes(StandardCharsets.UTF_8);

    assertRefused(s.raw("/orders", List.of(latin1)), 401, INVALID_KEY, CHALLENGE);
    assertRefused(s.raw("/orders", List.of(utf8)), 401, INVALID_KEY, CHALLENGE);
  }

  @Test
  void validKeyWithTrailingGarbageGets401() {
    String key = keys.key();
    TestServer s = serve();

    assertRefused(s.raw("/orders", "X-API-Key: " + key + "x"), 401, INVALID_KEY, CHALLENGE);
    assertRefused(s.raw("/orders", "X-API-Key: " + key + "\t\u00a0"), 401, INVALID_KEY, CHALLENGE);
  }

  @Test
  void twoDifferentKeysGet401EvenWhenOneIsValid() {
    String key = keys.key();
    TestServer s = serve();

    assertRefused(s.raw("/orders", "X-API-Key: " + key, "X-API-Key: " + Keys.unknownKey()), 401, INVALID_KEY,
        CHALLENGE);
    assertRefused(s.raw("/orders", "X-API-Key: " + key, "X-API-Key: " + keys.key()), 401, INVALID_KEY, CHALLENGE);
  }

  @Test
  void sameKeySentTwiceCountsOnce() {
    String key = keys.key();
    TestServer s = serve();

    TestServer.Raw r = s.raw("/orders", "X-API-Key: " + key, "x-api-key: " + key);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("authType=API_KEY");
  }

  @Test
  void differentKeysInTwoConfiguredHeadersGet401() {
    String key = keys.key();
    TestServer s = serve(keys.keygate().apiKeyHeaders("X-API-Key", "X-Avala-Api-Key"), f -> {});

    assertRefused(s.raw("/orders", "X-API-Key: " + key, "X-Avala-Api-Key: " + Keys.unknownKey()), 401,
        INVALID_KEY, CHALLENGE);
  }

  @Test
  void malformedAuthorizationGets401Json() {
    TestServer s = serve(keys.keygate().bearerAuthenticator(t -> t.equals("good-token")
        ? Optional.of(KeygatePrincipal.bearer("alice", null, Set.of())) : Optional.empty()), f -> {});
    String invalidBearer = "{\"detail\":\"Invalid bearer token.\"}";
    String bearerChallenge = "Bearer realm=\"keygate\", error=\"invalid_token\"";
    String noCredentialsChallenge = CHALLENGE + ", Bearer realm=\"keygate\"";

    assertRefused(s.raw("/orders", "Authorization: Bearer " + "x".repeat(10 * 1024)), 401, invalidBearer,
        bearerChallenge);
    assertRefused(s.raw("/orders", "Authorization: Bearer good-token\u00e9"), 401, invalidBearer, bearerChallenge);
    assertRefused(s.raw("/orders", "Authorization: Bearer good\ttoken"), 401, invalidBearer, bearerChallenge);
    assertRefused(s.raw("/orders", "Authorization: Bearer"), 401, NO_CREDENTIALS, noCredentialsChallenge);
    assertRefused(s.raw("/orders", "Authorization:    "), 401, NO_CREDENTIALS, noCredentialsChallenge);
    assertRefused(s.raw("/orders", "Authorization: Bearer forged", "Authorization: Bearer good-token"), 401,
        invalidBearer, bearerChallenge);
  }

  @ParameterizedTest
  @ValueSource(ints = {0x00, 0x01, 0x07, 0x0b, 0x1b, 0x1f, 0x7f})
  void controlCharactersTheParserRefusesNeverReachTheApplication(int control) {
    TestServer s = serve();
    byte[] header = ("X-API-Key: kg_test_ab" + (char) control + "cd").getBytes(StandardCharsets.ISO_8859_1);

    TestServer.Raw r = s.raw("/orders", List.of(header));

    // Jetty's HTTP parser answers 400 itself, before any filter or servlet runs
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).doesNotContain("principal=");
  }

  @Test
  void headerOverTheContainerLimitIsRefusedByTheContainerNot500() throws Exception {
    IssuedKey issued = keys.create(NewKey.named("n"));
    engine = keys.keygate().build().engine();
    org.eclipse.jetty.ee10.servlet.ServletContextHandler ctx = new org.eclipse.jetty.ee10.servlet.ServletContextHandler("/");
    ctx.addServlet(EchoServlet.class, "/*");
    ctx.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder(KeygateFilter.builder(engine).build()), "/*",
        java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
    server = TestServer.start(ctx, 8 * 1024); // Jetty's default

    assertThat(server.raw("/orders", "X-API-Key: " + "a".repeat(10 * 1024)).status()).isEqualTo(431);
    assertThat(server.raw("/orders", "X-API-Key: " + issued.plaintext()).status()).isEqualTo(200);
  }
}
