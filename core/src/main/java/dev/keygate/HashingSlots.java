package dev.keygate;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The slots in which secret verifications (Argon2id) run, handed out so that a flood cannot starve
 * anyone else's first use.
 *
 * <p>Two queues, each first come first served. A verification for a key id and owner that are
 * within their failure budget is <em>preferred</em>: it takes the next free slot ahead of every
 * waiting verification that is not. A verification for an id or owner over its budget (one
 * flooded with wrong secrets) runs only on capacity nobody preferred is waiting for, and never
 * two at a time for one id: the Argon2id work a flood can buy per id stays one slot, while the
 * holder of the right secret still gets a turn instead of a refusal. A waiter that gets no slot
 * within its wait gives up (the engine answers 503).
 */
final class HashingSlots {
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Waiter> preferred = new ArrayDeque<>();
  private final ArrayDeque<Waiter> deferred = new ArrayDeque<>();
  /** Key ids with a verification running, and how many. */
  private final Map<String, Integer> running = new HashMap<>();
  private int free;

  HashingSlots(int slots) {
    this.free = slots;
  }

  private static final class Waiter {
    final String keyId;
    final Condition granted;
    boolean hasSlot;

    Waiter(String keyId, Condition granted) {
      this.keyId = keyId;
      this.granted = granted;
    }
  }

  /**
   * Waits up to {@code timeoutNanos} for a slot; on {@code true} the caller must {@link
   * #release(String)} it.
   *
   * @param keyId the key id being verified
   * @param isPreferred whether its id and owner are within their failure budgets
   */
  boolean acquire(String keyId, boolean isPreferred, long timeoutNanos) throws InterruptedException {
    lock.lock();
    try {
      // a free slot means every waiter, if any, is a deferred one whose id is busy
      if (free > 0 && (isPreferred || !running.containsKey(keyId))) {
        // equivalent mutants at the constant returns of this method (true for true, false for false)
        free--;
        start(keyId);
        return true;
      }
      ArrayDeque<Waiter> queue = isPreferred ? preferred : deferred;
      Waiter me = new Waiter(keyId, lock.newCondition());
      queue.addLast(me);
      long left = timeoutNanos;
      try {
        while (!me.hasSlot) {
          // accepted mutant (< 0): a zero wait then waits no time instead of not at all; only a slot
          // freed in that instant could answer differently
          if (left <= 0) {
            queue.remove(me);
            return false;
          }
          left = me.granted.awaitNanos(left);
        }
        return true;
      } catch (InterruptedException e) {
        // accepted mutants (never hand over): only an interrupt that lands between handOver() choosing this
        // waiter and the waiter waking gets here with a slot, a race no test can hold open
        if (me.hasSlot) {
          handOver(keyId);
        } else {
          queue.remove(me);
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
      handOver(keyId);
    } finally {
      lock.unlock();
    }
  }

  private void handOver(String keyId) {
    running.computeIfPresent(keyId, (id, n) -> n == 1 ? null : n - 1);
    Waiter next = preferred.pollFirst();
    if (next == null) {
      for (Iterator<Waiter> it = deferred.iterator(); it.hasNext(); ) {
        Waiter w = it.next();
        if (!running.containsKey(w.keyId)) {
          it.remove();
          next = w;
          break;
        }
      }
    }
    if (next == null) {
      free++;
      return;
    }
    start(next.keyId);
    next.hasSlot = true;
    next.granted.signal();
  }

  private void start(String keyId) {
    running.merge(keyId, 1, Integer::sum);
  }

  /** Verifications waiting for a slot now (for monitoring and tests). */
  int waiting() {
    lock.lock();
    try {
      return preferred.size() + deferred.size();
    } finally {
      lock.unlock();
    }
  }
}
