package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testing.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the verifier remembers and what it refuses to remember: failures, outages, upgraded
 * hashes, unreadable allowlists, interrupted waits, and the counters it reports.
 */
class VerifierGuardsTest extends EngineFixture {

  private AuthenticationEngine engine(AuthenticationEngine.Builder b, KeyHasher hasher) {
    AuthenticationEngine e = b.store(store).format(format).hasher(hasher).clock(clock).cacheExecutor(Runnable::run)
        .usageFlushInterval(Duration.ZERO).failureLimit(new RateLimit(1000, Duration.ofMinutes(1))).build();
    engines.add(e);
    return e;
  }

  /** Runs {@code authenticate} on its own thread; the result also says whether it kept its interrupt. */
  private record Background(Thread thread, CompletableFuture<AuthenticationResult> result,
      CompletableFuture<Boolean> interruptedAfter) {}

  private static Background inBackground(AuthenticationEngine engine, String key) {
    CompletableFuture<AuthenticationResult> result = new CompletableFuture<>();
    CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(engine.authenticate(key(key)));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      } finally {
        interrupted.complete(Thread.currentThread().isInterrupted());
      }
    });
    t.start();
    return new Background(t, result, interrupted);
  }

  // --- the failure cache -----------------------------------------------------------------------

  @Test
  void anUnknownKeyIsLookedUpOnceThenRefusedEvenThroughAnOutage() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    String unknown = format.generate().plaintext();
    assertThat(reason(engine.authenticate(key(unknown)))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(reason(engine.authenticate(key(unknown)))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(store.lookups).hasValue(1);
    store.down = true;
    assertThat(reason(engine.authenticate(key(unknown)))).as("remembered as invalid").isEqualTo(Refusal.INVALID_KEY);
    assertThat(reason(engine.authenticate(key(format.generate().plaintext())))).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(engine.stats()).containsEntry("failedKeys", 1L);
  }

  @Test
  void noFreeHashingSlotIs503AndIsNotRememberedAsAFailure() throws Exception {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hashing(1, Duration.ZERO), gated);
    IssuedKey a = service.create(NewKey.named("a"));
    IssuedKey b = service.create(NewKey.named("b"));
    gated.close();
    Background first = inBackground(engine, a.plaintext());
    gated.awaitEntered(1); // holds the only slot
    Refused busy = (Refused) engine.authenticate(key(b.plaintext()));
    assertThat(busy.reason()).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(busy.headers()).containsEntry("Retry-After", "1");
    gated.open();
    assertThat(first.result().get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(engine.authenticate(key(b.plaintext()))).as("tried again, not refused from memory")
        .isInstanceOf(Authenticated.class);
  }

  // --- outages ---------------------------------------------------------------------------------

  @Test
  void aStoreOutageIsLoggedOnceAndItsEndOnce() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    String k = service.create(NewKey.named("a")).plaintext();
    try (LogCapture logs = new LogCapture()) {
      store.down = true;
      for (int i = 0; i < 3; i++) {
        assertThat(reason(engine.authenticate(key(format.generate().plaintext())))).isEqualTo(Refusal.UNAVAILABLE);
      }
      store.down = false;
      assertThat(engine.authenticate(key(k))).isInstanceOf(Authenticated.class);
      assertThat(reason(engine.authenticate(key(format.generate().plaintext())))).isEqualTo(Refusal.INVALID_KEY);
      List<String> lines = logs.lines();
      assertThat(lines).filteredOn(l -> l.contains("key store unavailable")).hasSize(1);
      assertThat(lines).filteredOn(l -> l.contains("key store reachable again")).hasSize(1);
    }
  }

  // --- hash upgrades ---------------------------------------------------------------------------

  private static CountingHasher stronger() {
    return new CountingHasher(Argon2idHasher.builder().memoryKib(2048).iterations(1).parallelism(1).build());
  }

  @Test
  void anOutdatedHashIsUpgradedOnceAndNeverHashedAgainWhileInUse() {
    CountingHasher hasher = stronger();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), hasher);
    IssuedKey k = service.create(NewKey.named("a"));
    try (LogCapture logs = new LogCapture()) {
      assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
      assertThat(logs.text()).contains("upgraded the hash of key " + k.key().id() + " to the current parameters");
    }
    assertThat(store.findById(k.key().id()).orElseThrow().secretHash()).startsWith("$argon2id$v=19$m=2048,t=1,p=1$");
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    clock.advance(Duration.ofMinutes(6)); // past the cache period: the record is read again
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(hasher.verifications()).isEqualTo(1);
  }

  @Test
  void aRevokedKeysHashIsNeverRewritten() {
    IssuedKey k = service.create(NewKey.named("a"));
    service.revoke(k.key().id());
    ApiKey before = store.findById(k.key().id()).orElseThrow();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), stronger());
    assertThat(reason(engine.authenticate(key(k.plaintext())))).isEqualTo(Refusal.REVOKED);
    assertThat(store.findById(k.key().id()).orElseThrow()).isEqualTo(before);
  }

  @Test
  void aHashUpgradeTheStoreRefusesStillAdmitsTheKey() {
    IssuedKey k = service.create(NewKey.named("a"));
    ApiKey before = store.findById(k.key().id()).orElseThrow();
    CountingHasher hasher = stronger();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), hasher);
    store.updatesFail = true;
    try (LogCapture logs = new LogCapture()) {
      assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
      assertThat(logs.text()).contains("could not upgrade the hash of key " + k.key().id())
          .doesNotContain("upgraded the hash");
    }
    assertThat(store.findById(k.key().id()).orElseThrow()).isEqualTo(before);
    clock.advance(Duration.ofMinutes(6));
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(hasher.verifications()).as("the stored hash it matched is remembered").isEqualTo(1);
  }

  @Test
  void anUpgradeThatLosesARaceIsNotReportedAndNotRemembered() {
    IssuedKey k = service.create(NewKey.named("a"));
    CountingHasher hasher = stronger();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), hasher);
    store.beforeNextWrite = () -> store.delegate.update(store.findById(k.key().id()).orElseThrow().toBuilder()
        .name("renamed elsewhere").build());
    try (LogCapture logs = new LogCapture()) {
      assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
      assertThat(logs.text()).doesNotContain("upgraded the hash");
    }
    assertThat(store.findById(k.key().id()).orElseThrow().secretHash()).isEqualTo(k.key().secretHash());
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(hasher.verifications()).as("the hash the store still holds is remembered").isEqualTo(1);
  }

  // --- remembered matches ----------------------------------------------------------------------

  @Test
  void aMatchedKeyIsRememberedForADayOfDisuse() {
    CountingHasher hasher = new CountingHasher();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), hasher);
    String k = service.create(NewKey.named("a")).plaintext();
    assertThat(engine.authenticate(key(k))).isInstanceOf(Authenticated.class);
    clock.advance(Duration.ofHours(23));
    assertThat(engine.authenticate(key(k))).isInstanceOf(Authenticated.class);
    assertThat(hasher.verifications()).as("re-read, not re-hashed").isEqualTo(1);
    clock.advance(Duration.ofHours(25));
    assertThat(engine.authenticate(key(k))).isInstanceOf(Authenticated.class);
    assertThat(hasher.verifications()).as("a day unused: hashed again").isEqualTo(2);
  }

  @Test
  void aCachePeriodLongerThanADayRemembersMatchesAsLong() {
    CountingHasher hasher = new CountingHasher();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().cache(100, Duration.ofDays(3)), hasher);
    IssuedKey k = service.create(NewKey.named("a"));
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    clock.advance(Duration.ofDays(2));
    engine.invalidate(k.key().id());
    assertThat(engine.authenticate(key(k.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(hasher.verifications()).isEqualTo(1);
  }

  @Test
  void aPreviousSecretInItsGraceIsRecognisedWithoutHashingThenRefusedFromTheFailureCache() {
    CountingHasher hasher = new CountingHasher();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), hasher);
    IssuedKey old = service.create(NewKey.named("a"));
    assertThat(engine.authenticate(key(old.plaintext()))).isInstanceOf(Authenticated.class);
    service.rotate(old.key().id(), Duration.ofMinutes(30));
    assertThat(engine.authenticate(key(old.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(hasher.verifications()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(30));
    int lookups = store.lookups.get();
    for (int i = 0; i < 4; i++) {
      assertThat(reason(engine.authenticate(key(old.plaintext())))).isEqualTo(Refusal.INVALID_KEY);
    }
    assertThat(store.lookups.get() - lookups).as("once refused, refused from the failure cache").isEqualTo(1);
  }

  @Test
  void aRememberedPreviousSecretIsRefusedTheMomentItsGraceEnds() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    IssuedKey old = service.create(NewKey.named("a"));
    assertThat(engine.authenticate(key(old.plaintext()))).isInstanceOf(Authenticated.class);
    IssuedKey next = service.rotate(old.key().id(), Duration.ofMinutes(2));
    assertThat(engine.authenticate(key(old.plaintext()))).isInstanceOf(Authenticated.class);
    clock.advance(Duration.ofMinutes(2)); // within the cache period
    assertThat(reason(engine.authenticate(key(old.plaintext())))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(engine.authenticate(key(next.plaintext()))).isInstanceOf(Authenticated.class);
  }

  @Test
  void aSecretTwoRotationsOldIsRefusedWhileAGracePeriodRuns() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    IssuedKey first = service.create(NewKey.named("a"));
    assertThat(engine.authenticate(key(first.plaintext()))).isInstanceOf(Authenticated.class);
    IssuedKey second = service.rotate(first.key().id(), Duration.ofMinutes(10));
    IssuedKey third = service.rotate(first.key().id(), Duration.ofMinutes(10));
    assertThat(reason(engine.authenticate(key(first.plaintext())))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(engine.authenticate(key(second.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(engine.authenticate(key(third.plaintext()))).isInstanceOf(Authenticated.class);
  }

  @Test
  void aRememberedSecretReplacedWithoutGraceIsRefusedAndAudited() {
    List<KeyEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().listener(events::add), new CountingHasher());
    IssuedKey old = service.create(NewKey.named("a"));
    assertThat(engine.authenticate(key(old.plaintext()))).isInstanceOf(Authenticated.class);
    service.rotate(old.key().id());
    assertThat(reason(engine.authenticate(key(old.plaintext())))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.type()).isEqualTo(KeyEvent.Type.AUTHENTICATION_FAILED);
      assertThat(e.reason()).isEqualTo("INVALID_KEY");
      assertThat(e.keyId()).isEqualTo(old.key().id());
    });
  }

  @Test
  void revokingOneKeyLeavesTheOthersCachedThroughAnOutage() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    IssuedKey a = service.create(NewKey.named("a"));
    IssuedKey b = service.create(NewKey.named("b"));
    assertThat(engine.authenticate(key(a.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(engine.authenticate(key(b.plaintext()))).isInstanceOf(Authenticated.class);
    service.revoke(a.key().id());
    store.down = true;
    assertThat(engine.authenticate(key(b.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(reason(engine.authenticate(key(a.plaintext())))).isEqualTo(Refusal.UNAVAILABLE);
  }

  // --- allowlists the verifier cannot read -----------------------------------------------------

  private IssuedKey withStoredAllowlist(List<String> entries) {
    IssuedKey k = service.create(NewKey.named("legacy"));
    ApiKey stored = store.findById(k.key().id()).orElseThrow();
    assertThat(store.update(stored.toBuilder().allowedIps(entries).build())).isTrue();
    return k;
  }

  @Test
  void anAllowlistWithNoReadableEntryAdmitsNobody() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    IssuedKey k = withStoredAllowlist(List.of("not-an-ip", "10.0.0.0/99"));
    try (LogCapture logs = new LogCapture()) {
      assertThat(reason(engine.authenticate(key(k.plaintext())))).isEqualTo(Refusal.IP_NOT_ALLOWED);
      assertThat(reason(engine.authenticate(AuthenticationRequest.from("10.0.0.1").apiKey(k.plaintext()).build())))
          .isEqualTo(Refusal.IP_NOT_ALLOWED);
      assertThat(logs.lines()).filteredOn(l -> l.contains("unparseable allowed IP entry")).hasSize(2);
    }
  }

  @Test
  void unreadableAllowlistEntriesMatchNothingWhileTheOthersStillCount() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    IssuedKey k = withStoredAllowlist(List.of("not-an-ip", "198.51.100.0/24"));
    assertThat(engine.authenticate(AuthenticationRequest.from("198.51.100.9").apiKey(k.plaintext()).build()))
        .isInstanceOf(Authenticated.class);
    assertThat(reason(engine.authenticate(key(k.plaintext())))).isEqualTo(Refusal.IP_NOT_ALLOWED);
    assertThat(reason(engine.authenticate(AuthenticationRequest.from("0.0.0.0").apiKey(k.plaintext()).build())))
        .as("the stand-in for an allowlist with no readable entry is not added to a readable one")
        .isEqualTo(Refusal.IP_NOT_ALLOWED);
  }

  // --- interrupted requests --------------------------------------------------------------------

  @Test
  void aRequestInterruptedWhileJoiningAVerificationIs503AndKeepsItsInterrupt() throws Exception {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hashing(2, Duration.ofSeconds(30)), gated);
    String k = service.create(NewKey.named("a")).plaintext();
    gated.close();
    Background running = inBackground(engine, k);
    gated.awaitEntered(1);
    Background joined = inBackground(engine, k);
    await().atMost(Duration.ofSeconds(30)).until(() -> joined.thread().getState() == Thread.State.TIMED_WAITING);
    joined.thread().interrupt();
    assertThat(reason(joined.result().get(30, TimeUnit.SECONDS))).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(joined.interruptedAfter().get(30, TimeUnit.SECONDS)).isTrue();
    gated.open();
    assertThat(running.result().get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
  }

  @Test
  void aRequestInterruptedWhileWaitingForASlotIs503AndLeavesTheQueue() throws Exception {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hashing(1, Duration.ofSeconds(30)), gated);
    String a = service.create(NewKey.named("a")).plaintext();
    String b = service.create(NewKey.named("b")).plaintext();
    gated.close();
    Background first = inBackground(engine, a);
    gated.awaitEntered(1);
    Background waiting = inBackground(engine, b);
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().get("waitingForHashing") == 1L);
    waiting.thread().interrupt();
    assertThat(reason(waiting.result().get(30, TimeUnit.SECONDS))).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(waiting.interruptedAfter().get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(engine.stats()).containsEntry("waitingForHashing", 0L);
    gated.open();
    assertThat(first.result().get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(engine.authenticate(key(b))).as("the slot came back, and b was not remembered as failed")
        .isInstanceOf(Authenticated.class);
    assertThat(gated.hashesVerified()).hasSize(2);
  }

  // --- failure budgets per owner --------------------------------------------------------------

  @Test
  void anOwnerOverItsBudgetWaitsBehindOtherOwnersFirstUse() throws Exception {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hashing(1, Duration.ofSeconds(30))
        .keyIdFailureLimit(new RateLimit(2, Duration.ofMinutes(1))), gated);
    List<IssuedKey> mallory = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      mallory.add(service.create(NewKey.named("m" + i).withOwner("mallory")));
    }
    IssuedKey alice = service.create(NewKey.named("v").withOwner("alice"));
    // one wrong secret each for two ids: no id is over its budget of 2, the owner is
    engine.authenticate(key(format.generate(mallory.get(0).key().id()).plaintext()));
    engine.authenticate(key(format.generate(mallory.get(1).key().id()).plaintext()));
    gated.close(); // the two verifications above ran while it was open: not counted as entered
    int before = gated.hashesVerified().size();
    Background holding = inBackground(engine, format.generate(mallory.get(2).key().id()).plaintext());
    gated.awaitEntered(1);
    Background deferred = inBackground(engine, format.generate(mallory.get(3).key().id()).plaintext());
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().get("waitingForHashing") == 1L);
    Background firstUse = inBackground(engine, alice.plaintext());
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().get("waitingForHashing") == 2L);
    gated.open();
    assertThat(firstUse.result().get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(reason(holding.result().get(30, TimeUnit.SECONDS))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(reason(deferred.result().get(30, TimeUnit.SECONDS))).isEqualTo(Refusal.INVALID_KEY);
    List<String> order = gated.hashesVerified().subList(before, gated.hashesVerified().size());
    assertThat(order).contains(alice.key().secretHash(), mallory.get(3).key().secretHash());
    assertThat(order.indexOf(alice.key().secretHash())).as("alice's key first: " + order)
        .isLessThan(order.indexOf(mallory.get(3).key().secretHash()));
  }

  // --- counters --------------------------------------------------------------------------------

  @Test
  void statsCountVerificationsAndTheirPeakConcurrency() {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), new CountingHasher());
    IssuedKey a = service.create(NewKey.named("a"));
    String b = service.create(NewKey.named("b")).plaintext();
    engine.authenticate(key(a.plaintext()));
    engine.authenticate(key(a.plaintext()));
    engine.authenticate(key(b));
    engine.authenticate(key(format.generate(a.key().id()).plaintext()));
    assertThat(engine.stats()).containsEntry("verifications", 3L).containsEntry("peakConcurrentHashes", 1L)
        .containsEntry("cachedKeys", 2L).containsEntry("failedKeys", 1L).containsEntry("waitingForHashing", 0L);
  }
}
