package dev.keygate.testkit;

import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hasher for tests: cheap Argon2id by default (about a millisecond per verification, where the
 * production settings take tens), counting verifications and how many ran at once. Thread-safe.
 */
public final class CountingHasher implements KeyHasher {
  private final KeyHasher delegate;
  private final AtomicInteger verifications = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  /** Counts calls to {@link #cheapArgon2id()}. */
  public CountingHasher() {
    this(cheapArgon2id());
  }

  /**
   * Counts calls to {@code delegate}.
   *
   * @param delegate the hasher that does the work
   * @throws NullPointerException if {@code delegate} is null
   */
  public CountingHasher(KeyHasher delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  /**
   * Argon2id with parameters cheap enough for tests (m=1024 KiB, t=1, p=1). Never use them in
   * production: they make a stolen hash cheap to attack.
   *
   * @return a new hasher with those parameters
   */
  public static Argon2idHasher cheapArgon2id() {
    return Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1).build();
  }

  /**
   * How many verifications have started so far.
   *
   * @return the count of {@link #verify} calls
   */
  public int verifications() {
    return verifications.get();
  }

  /**
   * The most verifications seen running at once.
   *
   * @return the peak, 0 before the first verification
   */
  public int peakConcurrency() {
    return peak.get();
  }

  /**
   * Hashes with the delegate (not counted).
   *
   * @param secret the secret's bytes
   * @return the delegate's encoded hash
   */
  @Override
  public String hash(byte[] secret) {
    return delegate.hash(secret);
  }

  /**
   * Verifies with the delegate, counted.
   *
   * @param encodedHash a stored hash
   * @param secret the presented secret's bytes
   * @return the delegate's answer
   */
  @Override
  public boolean verify(String encodedHash, byte[] secret) {
    verifications.incrementAndGet();
    peak.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      return delegate.verify(encodedHash, secret);
    } finally {
      running.decrementAndGet();
    }
  }

  /**
   * The delegate's answer.
   *
   * @param encodedHash a stored hash
   * @return whether the delegate would hash it differently now
   */
  @Override
  public boolean needsRehash(String encodedHash) {
    return delegate.needsRehash(encodedHash);
  }

  /**
   * The delegate's answer.
   *
   * @param encodedHash a stored hash
   * @return whether the delegate can verify it
   */
  @Override
  public boolean supports(String encodedHash) {
    return delegate.supports(encodedHash);
  }
}
