package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.testing.BackgroundRequests;
import dev.keygate.testing.GatedHasher;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A verification under way, held at the hasher by a {@link GatedHasher}: it is shared by requests
 * for the same key, it does not push verified keys out of a full cache, and it does not make a
 * request that would be refused without it wait for it.
 */
class VerificationUnderWayTest {
  private static final String PEER = "203.0.113.7";

  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final KeyFormat format = KeyFormat.withPrefix("kg_test");
  private final ObservedStore store = ObservedStore.announcing();
  private final GatedHasher gated = new GatedHasher();
  private final ApiKeyService service = ApiKeyService.builder().store(store).format(format)
      .hasher(gated).clock(clock).build();
  private final List<AuthenticationEngine> engines = new ArrayList<>();
  private final BackgroundRequests background = new BackgroundRequests();

  @AfterEach
  void tearDown() {
    gated.open();
    store.down = false;
    engines.forEach(AuthenticationEngine::close);
  }

  private AuthenticationEngine engine(AuthenticationEngine.Builder b) {
    AuthenticationEngine e = b.store(store).format(format).hasher(gated).clock(clock)
        .cacheExecutor(Runnable::run).usageFlushInterval(Duration.ZERO).build();
    engines.add(e);
    return e;
  }

  private static AuthenticationRequest from(String address, String key) {
    return AuthenticationRequest.from(address).apiKey(key).build();
  }

  private static Refusal reason(AuthenticationResult r) {
    return r instanceof Refused refused ? refused.reason() : null;
  }

  private Future<AuthenticationResult> inBackground(AuthenticationEngine engine, String address, String key) {
    return background.authenticate(engine, from(address, key));
  }


  private void awaitAllParked() {
    background.awaitAllParked();
  }


  @Test
  void aThrottledAddressIsRefusedAtOnceWhileAnotherAddressVerifiesTheSameKey() throws Exception {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hashing(4, Duration.ofSeconds(30))
        .failureLimit(new RateLimit(1, Duration.ofMinutes(1))));
    IssuedKey k = service.create(NewKey.named("a"));
    gated.close();
    Future<AuthenticationResult> verifying = inBackground(engine, PEER, k.plaintext());
    gated.awaitEntered(1);

    assertThat(reason(engine.authenticate(from("198.51.100.9", "kg_test_malformed")))).isEqualTo(Refusal.INVALID_KEY);
    Future<AuthenticationResult> throttled = inBackground(engine, "198.51.100.9", k.plaintext());
    assertThat(reason(throttled.get(30, TimeUnit.SECONDS)))
        .as("answered by the throttle, not after the verification under way").isEqualTo(Refusal.RATE_LIMITED);
    gated.open();
    assertThat(verifying.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
  }

  @Test
  void aVerificationUnderWayIsSharedAndPushesNoVerifiedKeyOutOfAFullCache() throws Exception {
    // a hashing wait under 5 s: a request joining a verification waits that long plus 5 s for it
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().cache(1, Duration.ofMinutes(5))
        .hashing(4, Duration.ofSeconds(4)));
    IssuedKey cached = service.create(NewKey.named("cached"));
    IssuedKey slow = service.create(NewKey.named("slow"));
    assertThat(engine.authenticate(from(PEER, cached.plaintext()))).isInstanceOf(Authenticated.class);
    gated.close();
    Future<AuthenticationResult> first = inBackground(engine, PEER, slow.plaintext());
    gated.awaitEntered(1);
    Future<AuthenticationResult> second = inBackground(engine, PEER, slow.plaintext());
    awaitAllParked();

    store.down = true;
    assertThat(engine.authenticate(from(PEER, cached.plaintext())))
        .as("still cached: answered without the store").isInstanceOf(Authenticated.class);
    store.down = false;
    String slowHash = store.findById(slow.key().id()).orElseThrow().secretHash();
    gated.open();
    assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(second.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(Collections.frequency(gated.hashesVerified(), slowHash)).as("one verification for both").isEqualTo(1);
  }
}
