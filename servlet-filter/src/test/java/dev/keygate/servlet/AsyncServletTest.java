package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wrapped request works in async servlets, completed from another thread or dispatched. */
class AsyncServletTest extends FilterTestBase {

  @Test
  void asyncServletSeesThePrincipalFromAnotherThread() {
    IssuedKey issued = keys.create(NewKey.named("n").withScopes("orders.read"));
    TestServer s = serve();

    Map<String, String> echo = assertEchoed(s.get("/async/complete?role=orders.read", "X-API-Key", issued.plaintext()));

    assertThat(echo).containsEntry("principal", issued.key().id()).containsEntry("authType", "API_KEY")
        .containsEntry("role:orders.read", "true");
  }

  @Test
  void asyncServletIsRefusedLikeAnyOther() {
    TestServer s = serve();

    assertRefused(s.get("/async/complete"), 401, NO_CREDENTIALS, CHALLENGE, null);
  }

  @Test
  void asyncDispatchSeesThePrincipalAgainWithoutReauthenticating() throws Exception {
    IssuedKey issued = keys.create(NewKey.named("n").withScopes("orders.read"));
    engine = keys.keygate().build().engine();
    server = TestServer.start(KeygateFilter.builder(engine).build(),
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));

    Map<String, String> echo = assertEchoed(server.get("/async/dispatch?role=orders.read", "X-API-Key",
        issued.plaintext()));

    assertThat(echo).containsEntry("principal", issued.key().id()).containsEntry("authType", "API_KEY")
        .containsEntry("attribute", issued.key().id()).containsEntry("role:orders.read", "true");
  }

  @Test
  void asyncDispatchIsNotCountedAgainstTheKeysRateLimitAgain() {
    String key = keys.create(NewKey.named("n").withRateLimit(new RateLimit(1, Duration.ofMinutes(1)))).plaintext();
    engine = keys.keygate().build().engine();
    server = TestServer.start(KeygateFilter.builder(engine).build(),
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));

    assertThat(assertEchoed(server.get("/async/dispatch", "X-API-Key", key))).containsEntry("authType", "API_KEY");
    assertThat(server.get("/async/dispatch", "X-API-Key", key).statusCode()).isEqualTo(429);
  }

  @Test
  void asyncDispatchOfAPublicPathHasNoPrincipal() {
    engine = keys.keygate().build().engine();
    server = TestServer.start(KeygateFilter.builder(engine).publicPaths("/async/*").build(),
        EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));

    assertThat(assertEchoed(server.get("/async/dispatch?role=**"))).containsEntry("principal", "none")
        .containsEntry("authType", "null").containsEntry("remoteUser", "null").containsEntry("role:**", "false");
  }

  @Test
  void asyncDispatchOutsideTheFilterKeepsOnlyTheAttribute() {
    IssuedKey issued = keys.create(NewKey.named("n"));
    TestServer s = serve();

    Map<String, String> echo = assertEchoed(s.get("/async/dispatch", "X-API-Key", issued.plaintext()));

    // registered for REQUEST only, the filter cannot re-wrap the dispatched request
    assertThat(echo).containsEntry("principal", "none").containsEntry("attribute", issued.key().id());
  }
}
