package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testing.GatedHasher;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, finding 4: a flood of wrong secrets spread over many ids and owners, none of them
 * over its failure budget, must not make a clean key's first use wait behind it. One hashing slot,
 * held by a verification the test lets through at the exact step; the order in which the waiting
 * verifications then reach the hasher is the order the slots were handed out in.
 */
class FairHashingTest {
  private static final String PEER = "203.0.113.7";

  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final KeyFormat format = KeyFormat.withPrefix("kg_test");
  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final ApiKeyService service = ApiKeyService.builder().store(store).format(format)
      .hasher(CountingHasher.cheapArgon2id()).clock(clock).build();
  private final GatedHasher gated = new GatedHasher();
  private AuthenticationEngine engine;

  @BeforeEach
  void oneSlotAndDefaultBudgets() {
    // the key id and owner budgets at their default (20 a minute); the clock stands still
    engine = AuthenticationEngine.builder().store(store).format(format).hasher(gated).clock(clock)
        .cacheExecutor(Runnable::run).usageFlushInterval(Duration.ZERO).hashing(1, Duration.ofSeconds(30))
        .failureLimit(new RateLimit(1000, Duration.ofMinutes(1))).build();
  }

  @AfterEach
  void tearDown() {
    gated.open();
    engine.close();
  }

  private IssuedKey key(String name, String owner) {
    return service.create(NewKey.named(name).withOwner(owner));
  }

  private String wrongSecretFor(IssuedKey k) {
    return format.generate(k.key().id()).plaintext();
  }

  private CompletableFuture<AuthenticationResult> inBackground(String presented) {
    CompletableFuture<AuthenticationResult> result = new CompletableFuture<>();
    new Thread(() -> {
      try {
        result.complete(engine.authenticate(AuthenticationRequest.from(PEER).apiKey(presented).build()));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    }).start();
    return result;
  }

  /** Starts {@code presented} and returns once it waits for the slot behind {@code waitingBefore} others. */
  private CompletableFuture<AuthenticationResult> queued(String presented, long waitingBefore) {
    CompletableFuture<AuthenticationResult> f = inBackground(presented);
    await().atMost(Duration.ofSeconds(30)).until(() -> engine.stats().get("waitingForHashing") == waitingBefore + 1);
    return f;
  }

  /** A key as a request presents it: the record's stored hash, what is sent, whether it is the right secret. */
  private record Presented(String storedHash, String plaintext, boolean right) {}

  private static Presented right(IssuedKey k) {
    return new Presented(k.key().secretHash(), k.plaintext(), true);
  }

  private Presented wrong(IssuedKey k) {
    return new Presented(k.key().secretHash(), wrongSecretFor(k), false);
  }

  private void failOnce(IssuedKey k) {
    engine.authenticate(AuthenticationRequest.from(PEER).apiKey(wrongSecretFor(k)).build());
  }

  /**
   * Holds the only slot with {@code holder}, queues {@code waiters} in this order, opens the gate,
   * checks every answer (a right secret accepted, a wrong one refused) and returns the stored hashes
   * in the order their verifications ran.
   */
  private List<String> hashOrder(Presented holder, Presented... waiters) throws Exception {
    gated.close();
    int from = gated.hashesVerified().size();
    List<Presented> presented = new ArrayList<>(List.of(holder));
    List<CompletableFuture<AuthenticationResult>> answers = new ArrayList<>();
    answers.add(inBackground(holder.plaintext()));
    await().atMost(Duration.ofSeconds(30)).until(() -> gated.hashesVerified().contains(holder.storedHash()));
    for (int i = 0; i < waiters.length; i++) {
      presented.add(waiters[i]);
      answers.add(queued(waiters[i].plaintext(), i));
    }
    gated.open();
    for (int i = 0; i < answers.size(); i++) {
      AuthenticationResult r = answers.get(i).get(30, TimeUnit.SECONDS);
      if (presented.get(i).right()) {
        assertThat(r).isInstanceOf(Authenticated.class);
      } else {
        assertThat(r).isInstanceOfSatisfying(Refused.class, x -> assertThat(x.reason()).isEqualTo(Refusal.INVALID_KEY));
      }
    }
    List<String> all = gated.hashesVerified();
    return new ArrayList<>(all.subList(from, all.size()));
  }

  private static String[] hashes(IssuedKey... keys) {
    return Arrays.stream(keys).map(k -> k.key().secretHash()).toArray(String[]::new);
  }

  @Test
  void aCleanOwnersFirstUseGoesAheadOfAnOwnerWithFailuresWithinItsBudget() throws Exception {
    IssuedKey mallory0 = key("m0", "mallory");
    IssuedKey mallory1 = key("m1", "mallory");
    IssuedKey bob = key("b", "bob");
    IssuedKey alice = key("a", "alice");
    failOnce(mallory0); // mallory is 1 failure into a budget of 20, far from over it
    assertThat(hashOrder(right(bob), wrong(mallory1), right(alice))).as("alice came second but had no failures")
        .containsExactly(hashes(bob, alice, mallory1));
  }

  @Test
  void aWaitingVerificationRanksByItsOwnersFailuresWhenTheSlotFreesNotWhenItArrived() throws Exception {
    IssuedKey mallory0 = key("m0", "mallory");
    IssuedKey mallory1 = key("m1", "mallory");
    IssuedKey alice = key("a", "alice");
    // mallory is clean when both of her requests arrive; the first fails while the second waits
    assertThat(hashOrder(wrong(mallory0), wrong(mallory1), right(alice)))
        .containsExactly(hashes(mallory0, alice, mallory1));
  }

  @Test
  void aKeyWithoutAnOwnerRanksByItsOwnIdsFailures() throws Exception {
    IssuedKey ownerless = service.create(NewKey.named("shared"));
    IssuedKey bob = key("b", "bob");
    IssuedKey alice = key("a", "alice");
    failOnce(ownerless);
    assertThat(hashOrder(right(bob), wrong(ownerless), right(alice))).containsExactly(hashes(bob, alice, ownerless));
  }

  @Test
  void amongEquallyCleanWaitersTheEarliestGoesFirst() throws Exception {
    IssuedKey bob = key("b", "bob");
    IssuedKey carol = key("c", "carol");
    IssuedKey alice = key("a", "alice");
    IssuedKey mallory0 = key("m0", "mallory");
    IssuedKey mallory1 = key("m1", "mallory");
    failOnce(mallory0);
    // mallory's two waiters have one failure each, carol and alice none: carol, alice, then mallory's in order
    assertThat(hashOrder(right(bob), wrong(mallory1), right(carol), wrong(mallory0), right(alice)))
        .containsExactly(hashes(bob, carol, alice, mallory1, mallory0));
  }

  @Test
  void aWrongSecretRanksItsOwnerBehindCleanOnesForAnHourAfterItsBudgetRefilled() throws Exception {
    IssuedKey mallory0 = key("m0", "mallory");
    IssuedKey mallory1 = key("m1", "mallory");
    IssuedKey bob = key("b", "bob");
    IssuedKey alice = key("a", "alice");
    failOnce(mallory0);
    clock.advance(Duration.ofMinutes(59)); // the budget (20 a minute) is full again long before
    assertThat(hashOrder(right(bob), wrong(mallory1), right(alice))).as("59 minutes after")
        .containsExactly(hashes(bob, alice, mallory1));

    // an hour after mallory's last wrong secret (mallory1's, just now) she is as clean as anyone
    clock.advance(Duration.ofMinutes(61));
    IssuedKey dave = key("d", "dave");
    IssuedKey carol = key("c", "carol");
    assertThat(hashOrder(right(dave), wrong(mallory0), right(carol))).as("an hour after")
        .containsExactly(hashes(dave, mallory0, carol));
  }

  @Test
  void amongOwnersWithFailuresTheOneWithFewerGoesFirst() throws Exception {
    IssuedKey mallory = key("m", "mallory");
    IssuedKey trudy = key("t", "trudy");
    IssuedKey bob = key("b", "bob");
    for (int i = 0; i < 3; i++) {
      failOnce(mallory);
    }
    failOnce(trudy);
    assertThat(hashOrder(right(bob), wrong(mallory), wrong(trudy))).containsExactly(hashes(bob, trudy, mallory));
  }
}
