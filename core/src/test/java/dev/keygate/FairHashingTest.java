package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.spi.InMemoryApiKeyStore;
import dev.keygate.testing.CountingHasher;
import dev.keygate.testing.GatedHasher;
import dev.keygate.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
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

  /** Starts {@code presented} while the gate is closed and returns once it holds the only slot. */
  private CompletableFuture<AuthenticationResult> holdingTheSlot(String storedHash, String presented) {
    CompletableFuture<AuthenticationResult> f = inBackground(presented);
    await().atMost(Duration.ofSeconds(30)).until(() -> gated.hashesVerified().contains(storedHash));
    return f;
  }

  /** The stored hashes verified from index {@code from} on, in the order their verifications ran. */
  private List<String> orderFrom(int from) {
    List<String> all = gated.hashesVerified();
    return new ArrayList<>(all.subList(from, all.size()));
  }

  private static Refusal reason(CompletableFuture<AuthenticationResult> f) throws Exception {
    AuthenticationResult r = f.get(30, TimeUnit.SECONDS);
    return r instanceof Refused refused ? refused.reason() : null;
  }

  @Test
  void aCleanOwnersFirstUseGoesAheadOfAnOwnerWithFailuresWithinItsBudget() throws Exception {
    IssuedKey mallory0 = key("m0", "mallory");
    IssuedKey mallory1 = key("m1", "mallory");
    IssuedKey bob = key("b", "bob");
    IssuedKey alice = key("a", "alice");
    // one wrong secret: mallory is 1 failure into a budget of 20, far from over it
    engine.authenticate(AuthenticationRequest.from(PEER).apiKey(wrongSecretFor(mallory0)).build());
    gated.close();
    int from = gated.hashesVerified().size();
    CompletableFuture<AuthenticationResult> holder = holdingTheSlot(bob.key().secretHash(), bob.plaintext());
    CompletableFuture<AuthenticationResult> flood = queued(wrongSecretFor(mallory1), 0);
    CompletableFuture<AuthenticationResult> firstUse = queued(alice.plaintext(), 1);

    gated.open();
    assertThat(holder.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(firstUse.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(reason(flood)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(orderFrom(from)).as("alice came second but had no failures")
        .containsExactly(bob.key().secretHash(), alice.key().secretHash(), mallory1.key().secretHash());
  }

  @Test
  void aWaitingVerificationRanksByItsOwnersFailuresWhenTheSlotFreesNotWhenItArrived() throws Exception {
    IssuedKey mallory0 = key("m0", "mallory");
    IssuedKey mallory1 = key("m1", "mallory");
    IssuedKey alice = key("a", "alice");
    gated.close();
    int from = gated.hashesVerified().size();
    // mallory is clean when both of her requests arrive; the first fails while the second waits
    CompletableFuture<AuthenticationResult> holder =
        holdingTheSlot(mallory0.key().secretHash(), wrongSecretFor(mallory0));
    CompletableFuture<AuthenticationResult> flood = queued(wrongSecretFor(mallory1), 0);
    CompletableFuture<AuthenticationResult> firstUse = queued(alice.plaintext(), 1);

    gated.open();
    assertThat(reason(holder)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(firstUse.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(reason(flood)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(orderFrom(from))
        .containsExactly(mallory0.key().secretHash(), alice.key().secretHash(), mallory1.key().secretHash());
  }

  @Test
  void aKeyWithoutAnOwnerRanksByItsOwnIdsFailures() throws Exception {
    IssuedKey ownerless = service.create(NewKey.named("shared"));
    IssuedKey bob = key("b", "bob");
    IssuedKey alice = key("a", "alice");
    engine.authenticate(AuthenticationRequest.from(PEER).apiKey(wrongSecretFor(ownerless)).build());
    gated.close();
    int from = gated.hashesVerified().size();
    CompletableFuture<AuthenticationResult> holder = holdingTheSlot(bob.key().secretHash(), bob.plaintext());
    CompletableFuture<AuthenticationResult> flood = queued(wrongSecretFor(ownerless), 0);
    CompletableFuture<AuthenticationResult> firstUse = queued(alice.plaintext(), 1);

    gated.open();
    assertThat(holder.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(firstUse.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(reason(flood)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(orderFrom(from))
        .containsExactly(bob.key().secretHash(), alice.key().secretHash(), ownerless.key().secretHash());
  }

  @Test
  void amongEquallyCleanWaitersTheEarliestGoesFirst() throws Exception {
    IssuedKey bob = key("b", "bob");
    IssuedKey carol = key("c", "carol");
    IssuedKey alice = key("a", "alice");
    IssuedKey mallory0 = key("m0", "mallory");
    IssuedKey mallory1 = key("m1", "mallory");
    engine.authenticate(AuthenticationRequest.from(PEER).apiKey(wrongSecretFor(mallory0)).build());
    gated.close();
    int from = gated.hashesVerified().size();
    CompletableFuture<AuthenticationResult> holder = holdingTheSlot(bob.key().secretHash(), bob.plaintext());
    // mallory's two waiters have one failure each, carol and alice none: carol, alice, then mallory's in order
    CompletableFuture<AuthenticationResult> m1 = queued(wrongSecretFor(mallory1), 0);
    CompletableFuture<AuthenticationResult> c = queued(carol.plaintext(), 1);
    CompletableFuture<AuthenticationResult> m0 = queued(wrongSecretFor(mallory0), 2);
    CompletableFuture<AuthenticationResult> a = queued(alice.plaintext(), 3);

    gated.open();
    for (CompletableFuture<AuthenticationResult> ok : List.of(holder, c, a)) {
      assertThat(ok.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    }
    assertThat(reason(m1)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(reason(m0)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(orderFrom(from)).containsExactly(bob.key().secretHash(), carol.key().secretHash(),
        alice.key().secretHash(), mallory1.key().secretHash(), mallory0.key().secretHash());
  }

  @Test
  void aWrongSecretRanksItsOwnerBehindCleanOnesForAnHourAfterItsBudgetRefilled() throws Exception {
    IssuedKey mallory0 = key("m0", "mallory");
    IssuedKey mallory1 = key("m1", "mallory");
    IssuedKey bob = key("b", "bob");
    IssuedKey alice = key("a", "alice");
    IssuedKey carol = key("c", "carol");
    engine.authenticate(AuthenticationRequest.from(PEER).apiKey(wrongSecretFor(mallory0)).build());
    clock.advance(Duration.ofMinutes(59)); // the budget (20 a minute) is full again long before
    gated.close();
    int from = gated.hashesVerified().size();
    CompletableFuture<AuthenticationResult> holder = holdingTheSlot(bob.key().secretHash(), bob.plaintext());
    CompletableFuture<AuthenticationResult> flood = queued(wrongSecretFor(mallory1), 0);
    CompletableFuture<AuthenticationResult> firstUse = queued(alice.plaintext(), 1);
    gated.open();
    assertThat(firstUse.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(reason(flood)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(holder.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(orderFrom(from)).as("59 minutes after")
        .containsExactly(bob.key().secretHash(), alice.key().secretHash(), mallory1.key().secretHash());

    // an hour after mallory's last wrong secret (mallory1's, just now) she is as clean as anyone
    clock.advance(Duration.ofMinutes(61));
    IssuedKey dave = key("d", "dave");
    gated.close();
    from = gated.hashesVerified().size();
    holder = holdingTheSlot(dave.key().secretHash(), dave.plaintext());
    flood = queued(wrongSecretFor(mallory0), 0);
    firstUse = queued(carol.plaintext(), 1);
    gated.open();
    assertThat(firstUse.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(reason(flood)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(holder.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(orderFrom(from)).as("an hour after")
        .containsExactly(dave.key().secretHash(), mallory0.key().secretHash(), carol.key().secretHash());
  }

  @Test
  void amongOwnersWithFailuresTheOneWithFewerGoesFirst() throws Exception {
    IssuedKey mallory = key("m", "mallory");
    IssuedKey trudy = key("t", "trudy");
    IssuedKey bob = key("b", "bob");
    for (int i = 0; i < 3; i++) {
      engine.authenticate(AuthenticationRequest.from(PEER).apiKey(wrongSecretFor(mallory)).build());
    }
    engine.authenticate(AuthenticationRequest.from(PEER).apiKey(wrongSecretFor(trudy)).build());
    gated.close();
    int from = gated.hashesVerified().size();
    CompletableFuture<AuthenticationResult> holder = holdingTheSlot(bob.key().secretHash(), bob.plaintext());
    CompletableFuture<AuthenticationResult> three = queued(wrongSecretFor(mallory), 0);
    CompletableFuture<AuthenticationResult> one = queued(wrongSecretFor(trudy), 1);
    gated.open();
    assertThat(holder.get(30, TimeUnit.SECONDS)).isInstanceOf(Authenticated.class);
    assertThat(reason(three)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(reason(one)).isEqualTo(Refusal.INVALID_KEY);
    assertThat(orderFrom(from))
        .containsExactly(bob.key().secretHash(), trudy.key().secretHash(), mallory.key().secretHash());
  }
}
