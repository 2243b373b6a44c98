package dev.keygate.testing;

import dev.keygate.hash.KeyHasher;
import dev.keygate.testkit.CountingHasher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cheap Argon2id hasher that tests can stop at the exact step: while closed, every verification
 * blocks inside {@link #verify} until {@link #open()}, {@link #open(String)} for its stored hash, or
 * {@link #letOneThrough()}. Records which stored hash each verification was asked about, in order,
 * and the secret arrays it was given. Only verifications that meet the closed gate count as
 * entered: those run while it was open (setting a test up) never satisfy {@link #awaitEntered}.
 */
public final class GatedHasher implements KeyHasher {
  private final KeyHasher delegate = CountingHasher.cheapArgon2id();
  private final Semaphore entered = new Semaphore(0);
  private final AtomicInteger enteredSoFar = new AtomicInteger();
  private final List<String> hashesVerified = new CopyOnWriteArrayList<>();
  private final List<byte[]> secretsSeen = new CopyOnWriteArrayList<>();
  private final Set<String> letThrough = new HashSet<>();
  private boolean closed;
  private int passes;

  /** From now on, verifications block until {@link #open()}. */
  public synchronized GatedHasher close() {
    closed = true;
    letThrough.clear();
    passes = 0;
    return this;
  }

  /** Lets every blocked and later verification run. */
  public synchronized void open() {
    closed = false;
    notifyAll();
  }

  /** Lets verifications against {@code encodedHash} run while the others stay blocked. */
  public synchronized void open(String encodedHash) {
    letThrough.add(encodedHash);
    notifyAll();
  }

  /**
   * Lets exactly one blocked (or the next) verification run, whichever takes the pass first; the
   * gate stays closed for the others.
   */
  public synchronized void letOneThrough() {
    passes++;
    notifyAll();
  }

  /**
   * Waits until {@code n} more verifications have met the closed gate since the last call (a
   * verification while the gate is open is not counted).
   */
  public void awaitEntered(int n) throws InterruptedException {
    if (!entered.tryAcquire(n, 30, TimeUnit.SECONDS)) {
      throw new AssertionError("fewer than " + n + " verifications started");
    }
  }

  /** How many verifications have met the closed gate so far (whether or not awaited). */
  public int entered() {
    return enteredSoFar.get();
  }

  /** The stored hashes verifications were run against, in the order they started. */
  public List<String> hashesVerified() {
    return hashesVerified;
  }

  /** The secret arrays handed to {@link #verify}, as they are now. */
  public List<byte[]> secretsSeen() {
    return secretsSeen;
  }

  @Override
  public String hash(byte[] secret) {
    return delegate.hash(secret);
  }

  @Override
  public boolean verify(String encodedHash, byte[] secret) {
    hashesVerified.add(encodedHash);
    secretsSeen.add(secret);
    try {
      awaitGate(encodedHash);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return delegate.verify(encodedHash, secret);
  }

  private synchronized void awaitGate(String encodedHash) throws InterruptedException {
    if (closed) { // under the lock that close() takes: counted exactly when it meets the gate
      enteredSoFar.incrementAndGet();
      entered.release();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (closed && !letThrough.contains(encodedHash)) {
      if (passes > 0) {
        passes--;
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("the gate was never opened");
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  @Override
  public boolean needsRehash(String encodedHash) {
    return delegate.needsRehash(encodedHash);
  }

  @Override
  public boolean supports(String encodedHash) {
    return delegate.supports(encodedHash);
  }
}
