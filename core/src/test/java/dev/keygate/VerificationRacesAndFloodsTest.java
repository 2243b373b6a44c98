package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.hash.HmacSha256Hasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testing.BackgroundRequests;
import dev.keygate.testing.GatedHasher;
import dev.keygate.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The verifier's guards, each driven to the exact step with a {@link GatedHasher}, and what a
 * flood of wrong secrets can and cannot do to the holder of the right one.
 */
class VerificationRacesAndFloodsTest {
  private static final String PEER = "203.0.113.7";

  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final KeyFormat format = KeyFormat.withPrefix("kg_test");
  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final GatedHasher gated = new GatedHasher();
  private final ApiKeyService service = ApiKeyService.builder().store(store).format(format)
      .hasher(gated).clock(clock).build();
  private final List<AuthenticationEngine> engines = new ArrayList<>();
  private final BackgroundRequests background = new BackgroundRequests();

  @AfterEach
  void tearDown() {
    gated.open();
    engines.forEach(AuthenticationEngine::close);
  }

  private AuthenticationEngine engine(AuthenticationEngine.Builder b, dev.keygate.hash.KeyHasher hasher) {
    AuthenticationEngine e = b.store(store).format(format).hasher(hasher).clock(clock)
        .cacheExecutor(Runnable::run).usageFlushInterval(Duration.ZERO)
        .failureLimit(new RateLimit(1_000_000, Duration.ofMinutes(1))).build();
    engines.add(e);
    return e;
  }

  private AuthenticationEngine gatedEngine(int slots) {
    return engine(AuthenticationEngine.builder().hashing(slots, Duration.ofSeconds(30))
        .keyIdFailureLimit(new RateLimit(2, Duration.ofMinutes(1))), gated);
  }

  private static AuthenticationRequest from(String address, String key) {
    return AuthenticationRequest.from(address).apiKey(key).build();
  }

  private static Refusal reason(AuthenticationResult r) {
    return r instanceof Refused refused ? refused.reason() : null;
  }

  private Future<AuthenticationResult> inBackground(AuthenticationEngine engine, String key) {
    return background.authenticate(engine, from(PEER, key));
  }


  private void awaitAllParked() {
    background.awaitAllParked();
  }


  private String wrongSecretFor(IssuedKey k) {
    return format.generate(k.key().id()).plaintext();
  }

  private String storedHash(IssuedKey k) {
    return store.findById(k.key().id()).orElseThrow().secretHash();
  }

  // --- revocation races ------------------------------------------------------------------------

  @Test
  void requestStartedAfterRevokeNeverJoinsAVerificationThatReadTheStoreBefore() throws Exception {
    AuthenticationEngine engine = gatedEngine(4);
    IssuedKey k = service.create(NewKey.named("a"));
    gated.close();
    Future<AuthenticationResult> before = inBackground(engine, k.plaintext());
    gated.awaitEntered(1); // it has read the ACTIVE record and is hashing

    service.revoke(k.key().id());
    Future<AuthenticationResult> after = inBackground(engine, k.plaintext());
    gated.awaitEntered(1); // a verification of its own, on the revoked record
    gated.open();

    assertThat(reason(after.get(30, TimeUnit.SECONDS))).isEqualTo(Refusal.REVOKED);
    before.get(30, TimeUnit.SECONDS); // started before the revoke returned: either answer is fine
    assertThat(reason(engine.authenticate(from(PEER, k.plaintext())))).isEqualTo(Refusal.REVOKED);
  }

  @Test
  void verificationFinishingAfterRevokeLeavesNothingCached() throws Exception {
    AuthenticationEngine engine = gatedEngine(4);
    IssuedKey k = service.create(NewKey.named("a"));
    gated.close();
    Future<AuthenticationResult> before = inBackground(engine, k.plaintext());
    gated.awaitEntered(1);
    service.revoke(k.key().id());
    gated.open();
    before.get(30, TimeUnit.SECONDS);

    assertThat(reason(engine.authenticate(from(PEER, k.plaintext())))).isEqualTo(Refusal.REVOKED);
  }

  @Test
  void verificationFinishingAfterRotateLeavesTheOldSecretUncached() throws Exception {
    AuthenticationEngine engine = gatedEngine(4);
    IssuedKey k = service.create(NewKey.named("a"));
    gated.close();
    Future<AuthenticationResult> before = inBackground(engine, k.plaintext());
    gated.awaitEntered(1);
    IssuedKey rotated = service.rotate(k.key().id(), Duration.ZERO);
    gated.open();
    before.get(30, TimeUnit.SECONDS);

    assertThat(reason(engine.authenticate(from(PEER, k.plaintext())))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(engine.authenticate(from(PEER, rotated.plaintext()))).isInstanceOf(Authenticated.class);
  }

  @Test
  void concurrentRequestsForOneKeyWaitForOneVerification() throws Exception {
    AuthenticationEngine engine = gatedEngine(4);
    IssuedKey k = service.create(NewKey.named("a"));
    gated.close();
    List<Future<AuthenticationResult>> results = new ArrayList<>();
    results.add(inBackground(engine, k.plaintext()));
    gated.awaitEntered(1);
    for (int i = 0; i < 7; i++) {
      results.add(inBackground(engine, k.plaintext()));
    }
    awaitAllParked(); // on the running verification; any that did not join would be in the hasher
    gated.open();
    for (Future<AuthenticationResult> f : results) {
      assertThat(f.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    }
    assertThat(gated.hashesVerified()).hasSize(1);
  }

  @Test
  void aRequestThatGetsNoHashingSlotWithinItsWaitIs503() throws Exception {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hashing(1, Duration.ofMillis(50)), gated);
    IssuedKey holder = service.create(NewKey.named("a"));
    IssuedKey waiter = service.create(NewKey.named("b"));
    gated.close();
    Future<AuthenticationResult> first = inBackground(engine, holder.plaintext());
    gated.awaitEntered(1); // holds the only slot until the gate opens

    Refused refused = (Refused) engine.authenticate(from(PEER, waiter.plaintext()));
    assertThat(refused.reason()).isEqualTo(Refusal.UNAVAILABLE);
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.headers()).containsEntry("Retry-After", "1");
    assertThat(engine.stats()).containsEntry("waitingForHashing", 0L);
    gated.open();
    assertThat(first.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(engine.authenticate(from(PEER, waiter.plaintext()))).as("a slot is free again")
        .isInstanceOf(Authenticated.class);
    assertThat(engine.stats()).containsEntry("peakConcurrentHashes", 1L);
  }

  @Test
  void wrongSecretIsHashedOnceThenRefusedFromTheFailureCache() {
    AuthenticationEngine engine = gatedEngine(1);
    IssuedKey k = service.create(NewKey.named("a"));
    String wrong = wrongSecretFor(k);
    assertThat(reason(engine.authenticate(from(PEER, wrong)))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(reason(engine.authenticate(from(PEER, wrong)))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(gated.hashesVerified()).hasSize(1);
  }

  @Test
  void presentedSecretIsWipedOnceVerified() {
    AuthenticationEngine engine = gatedEngine(1);
    IssuedKey k = service.create(NewKey.named("a"));
    assertThat(engine.authenticate(from(PEER, k.plaintext()))).isInstanceOf(Authenticated.class);
    assertThat(engine.authenticate(from(PEER, wrongSecretFor(k)))).isInstanceOf(Refused.class);
    assertThat(gated.secretsSeen()).hasSize(2)
        .allSatisfy(secret -> assertThat(secret).containsOnly((byte) 0));
  }

  // --- floods ----------------------------------------------------------------------------------

  @Test
  void firstUseTakesTheNextSlotAheadOfIdsFloodedWithWrongSecrets() throws Exception {
    AuthenticationEngine engine = gatedEngine(1);
    List<IssuedKey> attackers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      attackers.add(service.create(NewKey.named("m" + i).withOwner("mallory")));
    }
    IssuedKey victim = service.create(NewKey.named("v").withOwner("alice"));
    for (IssuedKey a : attackers) { // spend each id's budget of 2
      engine.authenticate(from("198.51.100.1", wrongSecretFor(a)));
      engine.authenticate(from("198.51.100.2", wrongSecretFor(a)));
    }
    gated.close();
    int before = gated.hashesVerified().size();
    List<Future<AuthenticationResult>> flood = new ArrayList<>();
    flood.add(inBackground(engine, wrongSecretFor(attackers.get(0))));
    gated.awaitEntered(1); // holds the only slot
    for (IssuedKey a : attackers) {
      flood.add(inBackground(engine, wrongSecretFor(a)));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().get("waitingForHashing") == 3);
    Future<AuthenticationResult> firstUse = inBackground(engine, victim.plaintext());
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().get("waitingForHashing") == 4);
    gated.open();

    assertThat(firstUse.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    for (Future<AuthenticationResult> f : flood) {
      assertThat(reason(f.get(30, TimeUnit.SECONDS))).isEqualTo(Refusal.INVALID_KEY);
    }
    assertThat(gated.hashesVerified().get(before + 1)).as("the slot's next verification")
        .isEqualTo(storedHash(victim));
  }

  @Test
  void anIdOverItsBudgetRunsOneVerificationAtATime() throws Exception {
    AuthenticationEngine engine = gatedEngine(2);
    IssuedKey flooded = service.create(NewKey.named("a").withOwner("o1"));
    IssuedKey other = service.create(NewKey.named("b").withOwner("o2"));
    for (IssuedKey k : List.of(flooded, other)) {
      engine.authenticate(from("198.51.100.1", wrongSecretFor(k)));
      engine.authenticate(from("198.51.100.2", wrongSecretFor(k)));
    }
    gated.close();
    Future<AuthenticationResult> first = inBackground(engine, wrongSecretFor(flooded));
    gated.awaitEntered(1);
    Future<AuthenticationResult> second = inBackground(engine, wrongSecretFor(flooded));
    // a slot is free, but not for a second verification of the same flooded id
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().get("waitingForHashing") == 1);
    Future<AuthenticationResult> otherId = inBackground(engine, wrongSecretFor(other));
    gated.awaitEntered(1); // the free slot went to the other id

    gated.open(storedHash(other));
    assertThat(reason(otherId.get(30, TimeUnit.SECONDS))).isEqualTo(Refusal.INVALID_KEY);
    assertThat(engine.stats().get("waitingForHashing")).as("the returned slot is not handed to the busy id")
        .isEqualTo(1L);
    gated.open();
    for (Future<AuthenticationResult> f : List.of(first, second)) {
      assertThat(reason(f.get(30, TimeUnit.SECONDS))).isEqualTo(Refusal.INVALID_KEY);
    }
  }

  @Test
  void floodOfWrongSecretsForAKnownIdNeverLocksTheRightSecretOut() {
    // what this proves is the budgets, caches and slots, not the hash's cost: HMAC instead of
    // Argon2id keeps 2,160 verifications to a fraction of a second (the test runs under PIT too)
    HmacSha256Hasher hmac = HmacSha256Hasher.withPepper("pepper for the flood test".getBytes(StandardCharsets.UTF_8), "k1");
    CountingHasher hashes = new CountingHasher(hmac);
    AuthenticationEngine engine = engine(AuthenticationEngine.builder(), hashes);
    IssuedKey k = ApiKeyService.builder().store(store).format(format).hasher(hmac).clock(clock).build()
        .create(NewKey.named("victim").withOwner("alice"));
    String valid = k.plaintext();
    int attempts = 0;
    List<String> answers = new ArrayList<>();
    // three wrong secrets a second, each from a new address, for twelve minutes: longer than
    // the five-minute cache period, the per-id budget spent many times over
    for (int second = 0; second < 12 * 60; second++) {
      for (int i = 0; i < 3; i++) {
        attempts++;
        String address = "198.18." + (attempts / 250) + "." + (attempts % 250 + 1);
        assertThat(reason(engine.authenticate(from(address, wrongSecretFor(k)))))
            .isEqualTo(Refusal.INVALID_KEY);
      }
      if (second == 61 || second % 10 == 0 && second > 61) { // first use after a minute of flood
        AuthenticationResult r = engine.authenticate(from(PEER, valid));
        answers.add(r instanceof Authenticated ? "200" : String.valueOf(reason(r)));
      }
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(answers).hasSizeGreaterThan(60).containsOnly("200");
    // the right secret was hashed once; after the cache period the record was re-read, not re-hashed
    assertThat(hashes.verifications()).isEqualTo(attempts + 1);
    System.out.printf("[keygate flood] %d wrong secrets for one id over 12 min cost %d hash runs;"
        + " the valid key was answered 200 %d of %d times%n", attempts, hashes.verifications() - 1,
        answers.size(), answers.size());

    // a new node (or a restart) meets the flood too: its first use is hashed and admitted
    AuthenticationEngine restarted = engine(AuthenticationEngine.builder(), hashes);
    assertThat(restarted.authenticate(from(PEER, valid))).isInstanceOf(Authenticated.class);
  }

  @Test
  void busyValidKeyIsNeverThrottledOnAColdNodeNorAcrossACacheExpiry() throws Exception {
    AuthenticationEngine engine = engine(AuthenticationEngine.builder().hashing(2, Duration.ofSeconds(30)), gated);
    String valid = service.create(NewKey.named("busy")).plaintext();
    for (int round = 0; round < 2; round++) {
      gated.close();
      List<Future<AuthenticationResult>> results = new ArrayList<>();
      for (int c = 0; c < 64; c++) { // 64 clients at once on a cold node, then after expiry
        results.add(inBackground(engine, valid));
      }
      awaitAllParked();
      gated.open();
      for (Future<AuthenticationResult> f : results) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
      }
      clock.advance(Duration.ofMinutes(6)); // past the cache period
    }
    assertThat(gated.hashesVerified()).as("one hash, then a re-read of the record").hasSize(1);
  }
}
