package dev.keygate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.DuplicateKeyIdException;
import dev.keygate.KeyChangeListener;
import dev.keygate.KeyQuery;
import dev.keygate.StoreUnavailableException;
import dev.keygate.UsageRecord;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.DynamicTest;

/**
 * The contract every {@link ApiKeyStore} honours (the list in the interface's documentation), as
 * JUnit 5 tests. A store proves itself with one short test class:
 *
 * <pre>{@code
 * class MyStoreTest extends ApiKeyStoreContractTest {
 *   @Override
 *   protected ApiKeyStore newStore() {
 *     return new MyStore(); // empty, or at least without any key a test creates
 *   }
 * }
 * }</pre>
 *
 * <p>Override {@link #closeStore} to release what {@link #newStore()} made, and {@link
 * #newUnreachableStore()} to run the outage cases; add the store's own cases to the same class.
 * Every test creates its keys with fresh ids ({@link #newId()}), so a store may be shared by the
 * tests of a class as long as nothing else writes to it. Tests wait for other threads with a
 * deadline, never a sleep, and a test fails when a stored hash or a whole key reaches an exception
 * message ({@link NoSecretsInLogsExtension}; log lines too, where {@link SecretScanningAppender} is
 * attached).
 */
public abstract class ApiKeyStoreContractTest extends StoreRecordsContract {
  /** Rounds of {@link #deleteRacingAnUpdateAndAUsageFlushEndsInASerialOrderAndNeverBringsTheKeyBack}. */
  private static final int RACE_ROUNDS = 25;

  /** For subclasses. */
  protected ApiKeyStoreContractTest() {}

  // ---- failures: what a refused or failed call tells, and how it fails ----

  @Test
  void aRefusedChangeTellsNoListener() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    List<String> heard = new CopyOnWriteArrayList<>();
    store.subscribe(heard::add);
    assertThatThrownBy(() -> store.create(k.toBuilder().name("again").build()))
        .isInstanceOf(DuplicateKeyIdException.class);
    assertThat(store.update(k.toBuilder().version(k.version() + 1).name("not read").build()))
        .as("an update at a version the store does not hold").isFalse();
    assertThat(store.update(key(newId(), T0))).as("an update of an absent key").isFalse();
    assertThat(store.delete(newId())).as("a delete of an absent key").isFalse();
    // listeners are told before update and delete return: nothing later can make this pass
    assertThat(heard).as("keys a listener was told of").isEmpty();
    assertThat(store.findById(k.id())).contains(k);
  }

  @Test
  void aListenerThatThrowsFailsNeitherTheChangeNorTheOtherListeners() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    List<String> heard = new CopyOnWriteArrayList<>();
    KeyChangeListener broken = id -> {
      throw new ListenerFailure();
    };
    store.subscribe(broken);
    store.subscribe(heard::add);
    // the change is made: an exception here would have the caller retry a change already applied
    assertThat(store.update(k.toBuilder().name("renamed").build())).isTrue();
    assertThat(heard).contains(k.id());
    heard.clear();
    assertThat(store.delete(k.id())).isTrue();
    assertThat(heard).contains(k.id());
  }

  @Test
  void aNullArgumentIsAProgrammingErrorNotAMissingKey() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    assertThatThrownBy(() -> store.create(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.findById(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.update(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.delete(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.list(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.recordUsage(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.subscribe(null)).isInstanceOf(NullPointerException.class);
    assertThat(store.findById(k.id())).contains(k);
  }

  /**
   * The outage case, generated only for a store that makes an unreachable one ({@link
   * #newUnreachableStore()} not null): a store without a backing system has no outage to prove,
   * and is not reported as skipping it.
   *
   * @return the outage case, or none
   * @throws Exception anything that fails the test
   */
  @TestFactory
  Stream<DynamicTest> outage() throws Exception {
    ApiKeyStore down = newUnreachableStore();
    if (down == null) {
      return Stream.empty();
    }
    return Stream.of(DynamicTest.dynamicTest(
        "everyCallOnAnUnreachableStoreFailsAsUnavailableChangesNothingAndTellsNoListener",
        () -> everyCallOnAnUnreachableStoreFailsAsUnavailableChangesNothingAndTellsNoListener(down)));
  }

  private void everyCallOnAnUnreachableStoreFailsAsUnavailableChangesNothingAndTellsNoListener(
      ApiKeyStore down) throws Exception {
    ApiKey k = key(newId(), T0);
    store.create(k);
    try {
      List<String> heard = new CopyOnWriteArrayList<>();
      // subscribing needs no backing system: an engine starting during an outage must still start
      ApiKeyStore.Subscription subscription = down.subscribe(heard::add);
      assertUnavailable(() -> down.create(key(newId(), T0)));
      assertUnavailable(() -> down.findById(k.id()));
      assertUnavailable(() -> down.update(k.toBuilder().revokedAt(T0.plusSeconds(1)).build()));
      assertUnavailable(() -> down.list(KeyQuery.all(T0)));
      assertUnavailable(() -> down.delete(k.id()));
      assertUnavailable(() -> down.recordUsage(List.of(new UsageRecord(k.id(), 1, T0.plusSeconds(1)))));
      subscription.close();
      assertThat(heard).as("keys a listener was told of").isEmpty();
    } finally {
      if (down instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
    assertThat(store.findById(k.id())).contains(k);
  }

  /**
   * A {@link StoreUnavailableException} (not another exception, not an empty answer), whose
   * messages, the causes' included, quote no stored hash.
   */
  private static void assertUnavailable(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOf(StoreUnavailableException.class)
        .satisfies(e -> {
          for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            assertThat(SecretScanner.secretsIn(message)).as("secrets in %s", t).isEmpty();
            assertThat(message).doesNotContain("aGFzaGhhc2g");
          }
        });
  }

  /** Thrown by a listener on purpose; without a stack trace, which would only fill the build log. */
  private static final class ListenerFailure extends RuntimeException {
    ListenerFailure() {
      super("a listener that fails on purpose", null, false, false);
    }
  }

  // ---- a delete racing an update: one of the serial orders, never a key brought back ----

  @Test
  void anUpdateOrUsageFlushAfterADeleteNeverBringsTheKeyBack() {
    ApiKey k = key(newId(), T0);
    store.create(k);
    ApiKey readBeforeTheDelete = store.findById(k.id()).orElseThrow();
    assertThat(store.delete(k.id())).isTrue();
    assertThat(store.update(readBeforeTheDelete.toBuilder().name("late writer").build())).isFalse();
    store.recordUsage(List.of(new UsageRecord(k.id(), 1, T0.plusSeconds(1))));
    assertThat(store.findById(k.id())).isEmpty();
    assertThat(ids(store.list(KeyQuery.all(T0).withLimit(KeyQuery.MAX_LIMIT)))).doesNotContain(k.id());
  }

  @Test
  void aDeleteMadeWhileAnUpdateIsReportedWinsAndTheKeyStaysGone() throws Exception {
    ApiKey k = key(newId(), T0);
    store.create(k);
    try (Pause pause = new Pause(store)) {
      CompletableFuture<Boolean> update =
          pause.runPausedAtItsReport(() -> store.update(k.toBuilder().name("renamed").build()));
      pause.awaitPaused();
      // the update is applied and being reported: the delete finds the key and removes it
      assertThat(within(pause.alongside(() -> store.delete(k.id())))).isTrue();
      pause.release();
      assertThat(within(update)).isTrue();
    }
    assertThat(store.findById(k.id())).isEmpty();
  }

  @Test
  void anUpdateMadeWhileADeleteIsReportedIsRefusedAndTheKeyStaysGone() throws Exception {
    ApiKey k = key(newId(), T0);
    store.create(k);
    try (Pause pause = new Pause(store)) {
      CompletableFuture<Boolean> delete = pause.runPausedAtItsReport(() -> store.delete(k.id()));
      pause.awaitPaused();
      // the delete is applied and being reported: the update finds no key
      ApiKey update = k.toBuilder().name("renamed").build();
      assertThat(within(pause.alongside(() -> store.update(update)))).isFalse();
      pause.release();
      assertThat(within(delete)).isTrue();
    }
    assertThat(store.findById(k.id())).isEmpty();
  }

  @Test
  void deleteRacingAnUpdateAndAUsageFlushEndsInASerialOrderAndNeverBringsTheKeyBack()
      throws Exception {
    for (int round = 0; round < RACE_ROUNDS; round++) {
      ApiKey k = key(newId(), T0);
      store.create(k);
      AtomicBoolean deleted = new AtomicBoolean();
      // released together by one latch; whichever order the store serialises them in, the delete
      // finds the key (the update and the flush never remove it) and the key ends gone
      Concurrently.run(3, t -> {
        switch (t) {
          case 0 -> store.update(k.toBuilder().name("renamed").build());
          case 1 -> store.recordUsage(List.of(new UsageRecord(k.id(), 1, T0.plusSeconds(1))));
          default -> deleted.set(store.delete(k.id()));
        }
      });
      assertThat(deleted).as("round %d: the delete found the key", round).isTrue();
      assertThat(store.findById(k.id())).as("round %d: the key after the race", round).isEmpty();
    }
  }

  private static <T> T within(CompletableFuture<T> call) throws Exception {
    try {
      return call.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("a store call still blocked after " + DEADLINE_SECONDS
          + " s: a store must not hold a lock another call needs while it tells its listeners", e);
    }
  }

  /**
   * Holds one store call at the point where the store tells its listeners of the change it made,
   * so that a test can make another call in that window. Only the listener call on the paused
   * call's own thread waits: notices from elsewhere (another node's change, read by a poller) pass.
   */
  private static final class Pause implements AutoCloseable {
    /** Threads of their own: the common pool may have a single thread on a small machine. */
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final AtomicReference<Thread> caller = new AtomicReference<>();
    private final CountDownLatch paused = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final ApiKeyStore.Subscription subscription;

    Pause(ApiKeyStore store) {
      subscription = store.subscribe(id -> {
        if (Thread.currentThread() == caller.get()) {
          paused.countDown();
          try {
            released.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
    }

    /** Runs {@code call} on a thread of its own, to be held when it tells the listeners. */
    CompletableFuture<Boolean> runPausedAtItsReport(BooleanSupplier call) {
      return CompletableFuture.supplyAsync(() -> {
        caller.set(Thread.currentThread());
        return call.getAsBoolean();
      }, threads);
    }

    /** Runs {@code call} on another thread, while the first one is held. */
    CompletableFuture<Boolean> alongside(BooleanSupplier call) {
      return CompletableFuture.supplyAsync(call::getAsBoolean, threads);
    }

    void awaitPaused() throws InterruptedException {
      if (!paused.await(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("the change was not reported to this node's listeners within "
            + DEADLINE_SECONDS + " s (they must be told before the call returns)");
      }
    }

    void release() {
      released.countDown();
    }

    @Override
    public void close() {
      released.countDown();
      subscription.close();
      threads.shutdownNow();
    }
  }
}
