package dev.keygate.hash;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Argon2id on argon2-jvm, producing PHC strings ({@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}).
 *
 * <p>Defaults follow OWASP: m = 19456 KiB, t = 2, p = 1, 16-byte salt, 32-byte hash. Each
 * verification at those settings costs about 22 ms of CPU and 19 MiB of native memory on a
 * typical server core, which is why the engine caches verified keys and bounds concurrent hashing.
 *
 * <p>With a pepper, the secret is first run through HMAC-SHA-256 keyed by the pepper, so a stolen
 * database alone does not allow offline guessing. Changing the pepper invalidates every hash made
 * with it. Thread-safe.
 */
public final class Argon2idHasher implements KeyHasher {
  /** OWASP default memory cost, in KiB. */
  public static final int DEFAULT_MEMORY_KIB = 19456;
  /** OWASP default number of iterations. */
  public static final int DEFAULT_ITERATIONS = 2;
  /** OWASP default parallelism. */
  public static final int DEFAULT_PARALLELISM = 1;

  private static final String PREFIX = "$argon2id$";

  private final Argon2 argon2;
  private final int memoryKib;
  private final int iterations;
  private final int parallelism;
  private final @Nullable Pepper pepper;

  private Argon2idHasher(Builder b) {
    // Argon2Factory.create() without a type gives Argon2i; ask for Argon2id explicitly.
    this.argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, 16, 32);
    this.memoryKib = b.memoryKib == null ? DEFAULT_MEMORY_KIB : b.memoryKib;
    this.iterations = b.iterations == null ? DEFAULT_ITERATIONS : b.iterations;
    this.parallelism = b.parallelism == null ? DEFAULT_PARALLELISM : b.parallelism;
    this.pepper = b.pepper == null ? null : new Pepper(b.pepper);
  }

  /**
   * A hasher with the OWASP defaults and no pepper.
   *
   * @return the hasher
   */
  public static Argon2idHasher withDefaults() {
    return builder().build();
  }

  /**
   * A builder starting from the OWASP defaults.
   *
   * @return a builder at the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String hash(byte[] secret) {
    byte[] input = peppered(secret);
    try {
      return argon2.hash(iterations, memoryKib, parallelism, input);
    } finally {
      if (input != secret) {
        Arrays.fill(input, (byte) 0);
      }
    }
  }

  @Override
  public boolean verify(String encodedHash, byte[] secret) {
    if (!supports(encodedHash)) {
      return false;
    }
    byte[] input = peppered(secret);
    try {
      return argon2.verify(encodedHash, input);
    } catch (RuntimeException malformedHash) {
      // a corrupt stored hash is a non-match, not an error the caller can act on
      return false;
    } finally {
      if (input != secret) {
        Arrays.fill(input, (byte) 0);
      }
    }
  }

  @Override
  public boolean needsRehash(String encodedHash) {
    if (!supports(encodedHash)) {
      return true;
    }
    try {
      return argon2.needsRehash(encodedHash, iterations, memoryKib, parallelism);
    } catch (RuntimeException malformedHash) {
      return true;
    }
  }

  @Override
  public boolean supports(String encodedHash) {
    return encodedHash.startsWith(PREFIX);
  }

  private byte[] peppered(byte[] secret) {
    return pepper == null ? secret : pepper.mac(secret);
  }

  @Override
  public String toString() {
    return "Argon2idHasher[m="
        + memoryKib
        + ",t="
        + iterations
        + ",p="
        + parallelism
        + (pepper == null ? "" : ",peppered")
        + "]";
  }

  /**
   * Settings for {@link Argon2idHasher}, each given at most once and checked when given; what is
   * not given keeps its OWASP default.
   */
  public static final class Builder {
    private @Nullable Integer memoryKib;
    private @Nullable Integer iterations;
    private @Nullable Integer parallelism;
    private byte @Nullable [] pepper;

    private Builder() {}

    /**
     * Memory cost in KiB; default {@value #DEFAULT_MEMORY_KIB}.
     *
     * @param memoryKib memory per hash, in KiB
     * @return this builder
     * @throws IllegalArgumentException if below 1024 KiB or above 4 GiB
     * @throws IllegalStateException if already set
     */
    public Builder memoryKib(int memoryKib) {
      unset("memoryKib", this.memoryKib);
      if (memoryKib < 1024 || memoryKib > 4 * 1024 * 1024) {
        throw new IllegalArgumentException("memoryKib must be in [1024, 4194304], got " + memoryKib);
      }
      this.memoryKib = memoryKib;
      return this;
    }

    /**
     * Number of passes over memory; default {@value #DEFAULT_ITERATIONS}.
     *
     * @param iterations passes over the memory
     * @return this builder
     * @throws IllegalArgumentException if not in [1, 100]
     * @throws IllegalStateException if already set
     */
    public Builder iterations(int iterations) {
      unset("iterations", this.iterations);
      if (iterations < 1 || iterations > 100) {
        throw new IllegalArgumentException("iterations must be in [1, 100], got " + iterations);
      }
      this.iterations = iterations;
      return this;
    }

    /**
     * Degree of parallelism (lanes); default {@value #DEFAULT_PARALLELISM}.
     *
     * @param parallelism lanes per hash
     * @return this builder
     * @throws IllegalArgumentException if not in [1, 64]
     * @throws IllegalStateException if already set
     */
    public Builder parallelism(int parallelism) {
      unset("parallelism", this.parallelism);
      if (parallelism < 1 || parallelism > 64) {
        throw new IllegalArgumentException("parallelism must be in [1, 64], got " + parallelism);
      }
      this.parallelism = parallelism;
      return this;
    }

    /**
     * A server-side secret mixed into every hash (copied; wipe your array afterwards).
     *
     * @param pepper the secret, kept outside the database (copied)
     * @return this builder
     * @throws IllegalArgumentException if shorter than 16 bytes
     * @throws IllegalStateException if already set (the message never shows the pepper)
     */
    public Builder pepper(byte[] pepper) {
      if (this.pepper != null) {
        throw new IllegalStateException("pepper was already set");
      }
      if (pepper.length < 16) {
        throw new IllegalArgumentException("pepper must be at least 16 bytes, got " + pepper.length);
      }
      this.pepper = pepper.clone();
      return this;
    }

    private static void unset(String setting, @Nullable Integer current) {
      if (current != null) {
        throw new IllegalStateException(setting + " was already set to " + current);
      }
    }

    /**
     * Builds a thread-safe hasher; the builder can be reused.
     *
     * @return the hasher
     */
    public Argon2idHasher build() {
      return new Argon2idHasher(this);
    }
  }
}
