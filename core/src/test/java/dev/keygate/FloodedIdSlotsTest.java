package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testing.BackgroundRequests;
import dev.keygate.testing.GatedHasher;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A key id over its failure budget never has two verifications running at once, however its
 * earlier verifications end: one at a time, each let through by the test ({@link
 * GatedHasher#letOneThrough()}).
 */
class FloodedIdSlotsTest {
  private static final String PEER = "203.0.113.7";

  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final KeyFormat format = KeyFormat.withPrefix("kg_test");
  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final GatedHasher hasher = new GatedHasher();
  private final List<AuthenticationEngine> engines = new ArrayList<>();
  private final ApiKeyService service = ApiKeyService.builder().store(store).format(format)
      .hasher(CountingHasher.cheapArgon2id()).clock(clock).build();

  @AfterEach
  void tearDown() {
    hasher.open();
    engines.forEach(AuthenticationEngine::close);
  }

  /**
   * An engine on the gated hasher with {@code slots} hashing slots and a budget of {@code
   * wrongSecretsPerMinute} per key id (and per owner); the address throttle is out of the way.
   */
  private AuthenticationEngine engine(int slots, int wrongSecretsPerMinute) {
    AuthenticationEngine engine = AuthenticationEngine.builder().store(store).format(format).hasher(hasher)
        .clock(clock).cacheExecutor(Runnable::run).usageFlushInterval(Duration.ZERO)
        .hashing(slots, Duration.ofSeconds(30))
        .keyIdFailureLimit(new RateLimit(wrongSecretsPerMinute, Duration.ofMinutes(1)))
        .failureLimit(new RateLimit(1000, Duration.ofMinutes(1))).build();
    engines.add(engine);
    return engine;
  }

  private Future<AuthenticationResult> inBackground(AuthenticationEngine engine, String key) {
    return new BackgroundRequests().authenticate(engine, AuthenticationRequest.from(PEER).apiKey(key).build());
  }


  private static Refusal reason(Future<AuthenticationResult> f) throws Exception {
    AuthenticationResult r = f.get(30, TimeUnit.SECONDS);
    return r instanceof Refused refused ? refused.reason() : null;
  }

  @Test
  void aFloodedIdRunsOneVerificationAtATimeWhicheverFinishesFirst() throws Exception {
    AuthenticationEngine engine = engine(3, 1);
    String id = service.create(NewKey.named("flooded")).key().id();
    hasher.close();

    // two wrong secrets while the id is within its budget: both run at once
    Future<AuthenticationResult> first = inBackground(engine, format.generate(id).plaintext());
    Future<AuthenticationResult> second = inBackground(engine, format.generate(id).plaintext());
    hasher.awaitEntered(2);

    hasher.letOneThrough(); // one ends: the id is over its budget, and still has one running
    await().atMost(Duration.ofSeconds(30)).until(() -> first.isDone() || second.isDone());
    Future<AuthenticationResult> third = inBackground(engine, format.generate(id).plaintext());
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().get("waitingForHashing") == 1L);

    hasher.letOneThrough(); // the other ends: the waiting one gets its turn
    hasher.awaitEntered(1);
    Future<AuthenticationResult> fourth = inBackground(engine, format.generate(id).plaintext());
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().get("waitingForHashing") == 1L);
    assertThat(engine.stats()).containsEntry("peakConcurrentHashes", 2L);

    hasher.letOneThrough();
    hasher.letOneThrough();
    for (Future<AuthenticationResult> f : List.of(first, second, third, fourth)) {
      assertThat(reason(f)).isEqualTo(Refusal.INVALID_KEY);
    }
    assertThat(engine.stats()).containsEntry("peakConcurrentHashes", 2L).containsEntry("waitingForHashing", 0L);
  }

  @Test
  void anOwnedIdWithinItsBudgetWhoseOwnerIsWithinItsBudgetRunsVerificationsAtOnce() throws Exception {
    AuthenticationEngine engine = engine(3, 5);
    String id = service.create(NewKey.named("owned").withOwner("acme")).key().id();
    // one failure spent: the id and its owner are both still within a budget of 5
    engine.authenticate(AuthenticationRequest.from(PEER).apiKey(format.generate(id).plaintext()).build());
    hasher.close();

    Future<AuthenticationResult> first = inBackground(engine, format.generate(id).plaintext());
    Future<AuthenticationResult> second = inBackground(engine, format.generate(id).plaintext());
    hasher.awaitEntered(2); // both at once: neither the id nor its owner is over its budget

    hasher.letOneThrough();
    hasher.letOneThrough();
    assertThat(reason(first)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(reason(second)).isEqualTo(Refusal.INVALID_KEY);
  }

  @Test
  void anIdWithinItsBudgetWhoseOwnerIsOverItsBudgetAlsoRunsOneVerificationAtATime() throws Exception {
    // the owner's budget, not only the id's, serialises an id: an attacker holding many ids of one
    // owner gets one verification at a time per id once the owner has failed too often
    AuthenticationEngine engine = engine(3, 1);
    String spent = service.create(NewKey.named("spent").withOwner("acme")).key().id();
    String fresh = service.create(NewKey.named("fresh").withOwner("acme")).key().id();
    // one wrong secret for another id of the owner: the owner is over its budget, "fresh" is not
    engine.authenticate(AuthenticationRequest.from(PEER).apiKey(format.generate(spent).plaintext()).build());
    hasher.close();

    Future<AuthenticationResult> first = inBackground(engine, format.generate(fresh).plaintext());
    hasher.awaitEntered(1);
    Future<AuthenticationResult> second = inBackground(engine, format.generate(fresh).plaintext());

    // two of the three slots are free, yet the second verification of "fresh" waits for the first
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().get("waitingForHashing") == 1L);
    hasher.letOneThrough();
    hasher.awaitEntered(1);
    hasher.letOneThrough();
    assertThat(reason(first)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(reason(second)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(engine.stats()).containsEntry("peakConcurrentHashes", 1L);
  }

  @Test
  void aWaitInterruptedBeforeItsTurnLeavesTheIdFree() throws Exception {
    AuthenticationEngine engine = engine(1, 1);
    String flooded = service.create(NewKey.named("flooded")).key().id();
    String other = service.create(NewKey.named("other")).plaintext();
    engine.authenticate(AuthenticationRequest.from(PEER).apiKey(format.generate(flooded).plaintext()).build());
    hasher.close(); // the verification above ran before: it does not count as entered

    Future<AuthenticationResult> holding = inBackground(engine, other);
    hasher.awaitEntered(1); // holds the only slot
    CompletableFuture<AuthenticationResult> waiting = new CompletableFuture<>();
    Thread waiter = new Thread(() -> waiting.complete(
        engine.authenticate(AuthenticationRequest.from(PEER).apiKey(format.generate(flooded).plaintext()).build())));
    waiter.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().get("waitingForHashing") == 1L);
    waiter.interrupt();
    assertThat(reason(waiting)).isEqualTo(Refusal.UNAVAILABLE);

    hasher.letOneThrough();
    assertThat(holding.get(30, TimeUnit.SECONDS)).isInstanceOf(AuthenticationResult.Authenticated.class);
    Future<AuthenticationResult> next = inBackground(engine, format.generate(flooded).plaintext());
    hasher.awaitEntered(1); // the free slot is its: no verification of the id is left running
    hasher.letOneThrough();
    assertThat(reason(next)).isEqualTo(Refusal.INVALID_KEY);
  }
}
