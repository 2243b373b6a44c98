package dev.keygate;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The slots in which secret verifications (Argon2id) run, handed out so that a flood cannot starve
 * anyone else's first use.
 *
 * <p>Each free slot goes to the best-ranked waiting verification, the earliest among equals: first
 * those whose key id and owner have had no wrong secret for a while, then the fewer recent failures
 * the better (see {@link KeyVerifier}). Ranks are read when a slot is handed out, not when a
 * verification starts waiting: a flood's verifications rank behind a clean key's first use as soon
 * as a wrong secret has been charged to their id or owner, however many ids and owners the flood is
 * spread over, and even those of its requests that were already waiting.
 * A verification for an id or owner over its failure budget also never runs two at a time for one
 * id: the Argon2id work a flood can buy per id stays one slot, while the holder of the right secret
 * still gets a turn instead of a refusal. A waiter that gets no slot within its wait gives up (the
 * engine answers 503).
 */
final class HashingSlots {
  /** How the key ids and owners of waiting verifications stand. */
  interface Standings {
    /** 0 for an id and owner without a recent wrong secret; the more recent failures, the more. */
    double rank(String keyId, @Nullable String owner);

    /** Whether the id or its owner is over its failure budget. */
    boolean overBudget(String keyId, @Nullable String owner);
  }

  private final ReentrantLock lock = new ReentrantLock();
  /** Verifications waiting for a slot, in arrival order. */
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  /** Key ids with a verification running, and how many. */
  private final Map<String, Integer> running = new HashMap<>();
  private final Standings standings;
  private int free;

  /**
   * @param slots verifications that may run at once
   * @param standings how a waiting verification's key id and owner stand
   */
  HashingSlots(int slots, Standings standings) {
    this.free = slots;
    this.standings = standings;
  }

  private static final class Waiter {
    final String keyId;
    final @Nullable String owner;
    final Condition granted;
    boolean hasSlot;

    Waiter(String keyId, @Nullable String owner, Condition granted) {
      this.keyId = keyId;
      this.owner = owner;
      this.granted = granted;
    }
  }

  /**
   * Waits up to {@code timeoutNanos} for a slot; on {@code true} the caller must {@link
   * #release(String)} it.
   *
   * @param keyId the key id being verified
   * @param owner its owner, if it has one
   */
  boolean acquire(String keyId, @Nullable String owner, long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      Waiter me = new Waiter(keyId, owner, lock.newCondition());
      waiting.addLast(me);
      grantFreeSlots(); // a free slot may be this request's at once, or a better-placed waiter's
      long left = timeoutNanos;
      try {
        while (!me.hasSlot) {
          // accepted mutant (< 0): a zero wait then waits no time instead of not at all; only a slot
          // freed in that instant could answer differently
          if (left <= 0) {
            waiting.remove(me);
            return false;
          }
          left = me.granted.awaitNanos(left);
        }
        return true;
      } catch (InterruptedException e) {
        // accepted mutants (never hand over): only an interrupt that lands between grantFreeSlots()
        // choosing this waiter and the waiter waking gets here with a slot, a race no test can hold open
        if (me.hasSlot) {
          finish(keyId);
        } else {
          waiting.remove(me);
        }
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Returns the slot taken for {@code keyId} to the next eligible waiter. */
  void release(String keyId) {
    lock.lock();
    try {
      finish(keyId);
    } finally {
      lock.unlock();
    }
  }

  private void finish(String keyId) {
    running.computeIfPresent(keyId, (id, n) -> n == 1 ? null : n - 1);
    free++;
    grantFreeSlots();
  }

  private void grantFreeSlots() {
    while (free > 0) {
      Waiter next = next();
      if (next == null) {
        return;
      }
      waiting.remove(next);
      free--;
      running.merge(next.keyId, 1, Integer::sum);
      next.hasSlot = true;
      next.granted.signal();
    }
  }

  /** The best-ranked waiter that may run now, the earliest among equals. */
  private @Nullable Waiter next() {
    Waiter best = null;
    double bestRank = Double.POSITIVE_INFINITY;
    for (Waiter w : waiting) {
      if (running.containsKey(w.keyId) && standings.overBudget(w.keyId, w.owner)) {
        continue; // over budget: one verification at a time for this id
      }
      double rank = standings.rank(w.keyId, w.owner);
      if (rank < bestRank) {
        best = w;
        bestRank = rank;
      }
    }
    return best;
  }

  /** Verifications waiting for a slot now (for monitoring and tests). */
  int waiting() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }
}
