package dev.keygate.testing;

import dev.keygate.hash.KeyHasher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A cheap Argon2id hasher that tests can stop at the exact step: while closed, every verification
 * blocks inside {@link #verify} until {@link #open()}. Records which stored hash each verification
 * was asked about, in order, and the secret arrays it was given.
 */
public final class GatedHasher implements KeyHasher {
  private final KeyHasher delegate = CountingHasher.cheapArgon2id();
  private final Semaphore entered = new Semaphore(0);
  private final List<String> hashesVerified = new CopyOnWriteArrayList<>();
  private final List<byte[]> secretsSeen = new CopyOnWriteArrayList<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  /** From now on, verifications block until {@link #open()}. */
  public GatedHasher close() {
    gate = new CountDownLatch(1);
    return this;
  }

  /** Lets every blocked and later verification run. */
  public void open() {
    gate.countDown();
  }

  /** Waits until {@code n} more verifications have entered {@link #verify} since the last call. */
  public void awaitEntered(int n) throws InterruptedException {
    if (!entered.tryAcquire(n, 30, TimeUnit.SECONDS)) {
      throw new AssertionError("fewer than " + n + " verifications started");
    }
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
    CountDownLatch g = gate;
    entered.release();
    try {
      if (!g.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("the gate was never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return delegate.verify(encodedHash, secret);
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
