package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.hash.KeyHasher;
import dev.keygate.testing.LogCapture;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.Test;

/** Every row of the response table (README.md), over HTTP, with its exact body and headers. */
class ResponseTableTest extends FilterTestBase {

  @Test
  void validKeyReachesTheServletAsItsPrincipal() {
    IssuedKey issued = keys.create(NewKey.named("orders bot").withScopes("orders.read"));
    TestServer s = serve();

    Map<String, String> echo = assertEchoed(s.get("/orders", "X-API-Key", issued.plaintext()));

    assertThat(echo).containsEntry("principal", issued.key().id())
        .containsEntry("authType", "API_KEY")
        .containsEntry("remoteUser", issued.key().id())
        .containsEntry("attribute", issued.key().id());
  }

  @Test
  void respondsToMissingCredentialsWith401() {
    TestServer s = serve();

    assertRefused(s.get("/orders"), 401, NO_CREDENTIALS, CHALLENGE, null);
  }

  @Test
  void respondsToMalformedKeyWith401() {
    TestServer s = serve();

    assertRefused(s.get("/orders", "X-API-Key", "kg_test_not-a-key"), 401, INVALID_KEY, CHALLENGE, null);
  }

  @Test
  void respondsToUnknownKeyWith401() {
    TestServer s = serve();

    assertRefused(s.get("/orders", "X-API-Key", Keys.unknownKey()), 401, INVALID_KEY, CHALLENGE, null);
  }

  @Test
  void respondsToWrongSecretWith401() {
    IssuedKey issued = keys.create(NewKey.named("n"));
    TestServer s = serve();

    assertRefused(s.get("/orders", "X-API-Key", Keys.wrongSecretFor(issued.key().id())), 401, INVALID_KEY,
        CHALLENGE, null);
  }

  @Test
  void respondsToExpiredKeyWith401() {
    IssuedKey issued = keys.create(NewKey.named("n").withExpiresAt(keys.clock.instant().plus(Duration.ofHours(1))));
    TestServer s = serve();
    assertEchoed(s.get("/orders", "X-API-Key", issued.plaintext()));

    keys.clock.advance(Duration.ofHours(2));

    assertRefused(s.get("/orders", "X-API-Key", issued.plaintext()), 401,
        "{\"detail\":\"API key has expired.\"}", CHALLENGE, null);
  }

  @Test
  void revokedKeyIsRejectedAtOnce() {
    IssuedKey issued = keys.create(NewKey.named("n"));
    TestServer s = serve();
    assertEchoed(s.get("/orders", "X-API-Key", issued.plaintext()));

    keys.service.revoke(issued.key().id());

    assertRefused(s.get("/orders", "X-API-Key", issued.plaintext()), 401,
        "{\"detail\":\"API key has been revoked.\"}", CHALLENGE, null);
  }

  @Test
  void respondsToAddressOutsideTheAllowlistWith403() {
    String key = keys.create(NewKey.named("n").withAllowedIps(List.of("10.0.0.0/8"))).plaintext();
    TestServer s = serve();

    assertRefused(s.get("/orders", "X-API-Key", key), 403, "{\"detail\":\"IP address not allowed.\"}", null, null);
  }

  @Test
  void respondsToMissingScopeWith403AndTheRequiredScopes() {
    String key = keys.key("reports.read");
    TestServer s = serve(keys.keygate(), f -> f.scopeRule("GET /orders/*=orders.read orders.audit"));

    assertRefused(s.get("/orders/7", "X-API-Key", key), 403,
        "{\"detail\":\"You do not have permission to perform this action.\","
            + "\"required_scopes\":[\"orders.audit\",\"orders.read\"]}", null, null);
  }

  @Test
  void respondsToPlainHttpWith403WhenHttpsIsRequired() {
    String key = keys.key();
    TestServer s = serve(keys.keygate().requireHttps(true), f -> {});

    assertRefused(s.get("/orders", "X-API-Key", key), 403, "{\"detail\":\"HTTPS is required.\"}", null, null);
    assertRefused(s.get("/orders"), 403, "{\"detail\":\"HTTPS is required.\"}", null, null);
  }

  @Test
  void respondsToKeyOverItsRateLimitWith429() {
    String key = keys.create(NewKey.named("n").withRateLimit(new RateLimit(2, Duration.ofMinutes(1)))).plaintext();
    TestServer s = serve();
    assertEchoed(s.get("/orders", "X-API-Key", key));
    assertEchoed(s.get("/orders", "X-API-Key", key));

    // two per minute refill one token every 30 s; the clock stands still
    assertRefused(s.get("/orders", "X-API-Key", key), 429,
        "{\"detail\":\"Request was throttled. Expected available in 30 seconds.\"}", null, "30");

    keys.clock.advance(Duration.ofSeconds(30));
    assertEchoed(s.get("/orders", "X-API-Key", key));
  }

  @Test
  void respondsToRepeatedFailuresFromOneAddressWith429() {
    String good = keys.key();
    TestServer s = serve(keys.keygate(Keys.HASHER, new RateLimit(3, Duration.ofMinutes(1))), f -> {});
    for (int i = 0; i < 3; i++) {
      assertRefused(s.get("/orders", "X-API-Key", Keys.unknownKey()), 401, INVALID_KEY, CHALLENGE, null);
    }

    assertRefused(s.get("/orders", "X-API-Key", Keys.unknownKey()), 429,
        "{\"detail\":\"Request was throttled. Expected available in 20 seconds.\"}", null, "20");
    // the address is throttled before any store lookup or hashing, even for a good key
    assertThat(s.get("/orders", "X-API-Key", good).statusCode()).isEqualTo(429);

    keys.clock.advance(Duration.ofMinutes(1));
    assertEchoed(s.get("/orders", "X-API-Key", good));
  }

  @Test
  void respondsToStoreOutageWith503ForUncachedKeysOnly() {
    String cached = keys.key();
    String uncached = keys.key();
    TestServer s = serve();
    assertEchoed(s.get("/orders", "X-API-Key", cached));

    keys.store.down(true);

    assertRefused(s.get("/orders", "X-API-Key", uncached), 503,
        "{\"detail\":\"Authentication service temporarily unavailable.\"}", null, "1");
    assertEchoed(s.get("/orders", "X-API-Key", cached));
    keys.store.down(false);
    assertEchoed(s.get("/orders", "X-API-Key", uncached));
  }

  @Test
  void respondsWith503WhenHashingCapacityIsExhausted() throws Exception {
    String first = keys.key();
    String second = keys.key();
    CountDownLatch hashing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    KeyHasher slow = new KeyHasher() {
      @Override
      public String hash(byte[] secret) {
        return Keys.HASHER.hash(secret);
      }

      @Override
      public boolean verify(String encodedHash, byte[] secret) {
        hashing.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Keys.HASHER.verify(encodedHash, secret);
      }

      @Override
      public boolean needsRehash(String encodedHash) {
        return false;
      }

      @Override
      public boolean supports(String encodedHash) {
        return Keys.HASHER.supports(encodedHash);
      }
    };
    TestServer s = serve(keys.keygate(slow, Keys.FAILURES).maxConcurrentHashes(1).hashingWait(Duration.ZERO), f -> {});
    CompletableFuture<HttpResponse<String>> busy =
        CompletableFuture.supplyAsync(() -> s.get("/orders", "X-API-Key", first));
    assertThat(hashing.await(10, TimeUnit.SECONDS)).isTrue();

    try {
      assertRefused(s.get("/orders", "X-API-Key", second), 503,
          "{\"detail\":\"Authentication service temporarily unavailable.\"}", null, "1");
    } finally {
      release.countDown();
    }
    assertEchoed(busy.get(10, TimeUnit.SECONDS));
  }

  @Test
  void refusalKeepsHeadersSetByEarlierFilters() {
    engine = keys.keygate().build().engine();
    Filter cors = (req, res, chain) -> {
      ((HttpServletResponse) res).setHeader("Access-Control-Allow-Origin", "*");
      chain.doFilter(req, res);
    };
    server = TestServer.startContext(ctx -> {
      ctx.addFilter(new FilterHolder(cors), "/*", EnumSet.of(DispatcherType.REQUEST));
      ctx.addFilter(new FilterHolder(KeygateFilter.builder(engine).build()), "/*",
          EnumSet.of(DispatcherType.REQUEST));
    });

    HttpResponse<String> r = server.get("/orders");

    assertRefused(r, 401, NO_CREDENTIALS, CHALLENGE, null);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
  }

  @Test
  void refusalReplacesWhatAnEarlierFilterBufferedThroughTheWriter() {
    Filter chatty = (req, res, chain) -> {
      res.getWriter().write("written before Keygate");
      chain.doFilter(req, res);
    };

    HttpResponse<String> r = serveBehind(chatty).get("/orders");

    assertRefused(r, 401, NO_CREDENTIALS, CHALLENGE, null);
  }

  @Test
  void responseAnEarlierFilterAlreadySentIsLeftAloneAndTheRefusalLogged() {
    Filter early = (req, res, chain) -> {
      res.setContentType("text/plain");
      res.getOutputStream().write("sent early".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      res.flushBuffer();
      chain.doFilter(req, res);
    };
    TestServer s = serveBehind(early);

    try (LogCapture logs = new LogCapture()) {
      HttpResponse<String> r = s.get("/orders");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("sent early");
      assertThat(logs.lines()).anyMatch(l -> l.contains("response already committed; cannot answer 401"));
    }
  }

  /** The echo servlets behind {@code earlier}, then Keygate with the default settings. */
  private TestServer serveBehind(Filter earlier) {
    engine = keys.keygate().build().engine();
    server = TestServer.startContext(ctx -> {
      ctx.addFilter(new FilterHolder(earlier), "/*", EnumSet.of(DispatcherType.REQUEST));
      ctx.addFilter(new FilterHolder(KeygateFilter.builder(engine).build()), "/*",
          EnumSet.of(DispatcherType.REQUEST));
    });
    return server;
  }
}
