package dev.keygate.testing;

import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import java.util.concurrent.atomic.AtomicInteger;

/** A cheap Argon2id hasher that counts verifications and tracks how many ran at once. */
public final class CountingHasher implements KeyHasher {
  private final KeyHasher delegate;
  private final AtomicInteger verifications = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  /** Argon2id at m=1024 KiB, t=1, p=1: about a millisecond. */
  public CountingHasher() {
    this(cheapArgon2id());
  }

  /** Counts calls to {@code delegate}. */
  public CountingHasher(KeyHasher delegate) {
    this.delegate = delegate;
  }

  /** Argon2id parameters cheap enough for tests. */
  public static Argon2idHasher cheapArgon2id() {
    return Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1).build();
  }

  /** Verifications so far. */
  public int verifications() {
    return verifications.get();
  }

  /** The most verifications seen running at once. */
  public int peakConcurrency() {
    return peak.get();
  }

  @Override
  public String hash(byte[] secret) {
    return delegate.hash(secret);
  }

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

  @Override
  public boolean needsRehash(String encodedHash) {
    return delegate.needsRehash(encodedHash);
  }

  @Override
  public boolean supports(String encodedHash) {
    return delegate.supports(encodedHash);
  }
}
