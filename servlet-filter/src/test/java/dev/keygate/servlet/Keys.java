package dev.keygate.servlet;

import dev.keygate.ApiKeyService;
import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.KeyHasher;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;

/** A store, a clock and a key service for tests, with a cheap Argon2id. */
final class Keys {
  static final KeyFormat FORMAT = KeyFormat.withPrefix("kg_test");
  static final KeyHasher HASHER =
      Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1).build();

  static final RateLimit FAILURES = new RateLimit(1000, Duration.ofMinutes(1));

  final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  final FlakyStore store = new FlakyStore();
  final ApiKeyService service = issuer();

  /** A Keygate builder over this store, deterministic, with a failure throttle tests won't hit. */
  Keygate.Builder keygate() {
    return keygate(HASHER, FAILURES);
  }

  /** The same with another hasher or failure throttle (each setting can be given only once). */
  Keygate.Builder keygate(KeyHasher hasher, RateLimit failuresPerAddress) {
    return configure(Keygate.builder(), hasher, failuresPerAddress);
  }

  /** Sets what {@link #keygate()} sets on {@code b}. */
  Keygate.Builder configure(Keygate.Builder b) {
    return configure(b, HASHER, FAILURES);
  }

  /** Sets what {@link #keygate()} sets on {@code b}, with another key format. */
  Keygate.Builder configure(Keygate.Builder b, KeyFormat format) {
    return configure(b, format, HASHER, FAILURES);
  }

  private Keygate.Builder configure(Keygate.Builder b, KeyHasher hasher, RateLimit failuresPerAddress) {
    return configure(b, FORMAT, hasher, failuresPerAddress);
  }

  private Keygate.Builder configure(Keygate.Builder b, KeyFormat format, KeyHasher hasher,
      RateLimit failuresPerAddress) {
    return b.store(store).keyFormat(format).hasher(hasher).clock(clock)
        .cacheExecutor(Runnable::run)
        .failuresPerAddress(failuresPerAddress)
        .usageFlushInterval(Duration.ZERO);
  }

  /**
   * The key service of a Keygate whose engine is closed at once: the tests count the engines
   * listening to the store, and only the filters' engines should.
   */
  private ApiKeyService issuer() {
    Keygate keygate = keygate().build();
    keygate.close(); // stops its engine; the key service has nothing to close
    return keygate.keys();
  }

  /** Creates a key and returns it with its plaintext. */
  IssuedKey create(NewKey key) {
    return service.create(key);
  }

  /** Creates a key with {@code scopes} and returns its plaintext. */
  String key(String... scopes) {
    return service.create(NewKey.named("test").withScopes(scopes)).plaintext();
  }

  /** A well-formed key (valid checksum) for {@code keyId} whose secret is not the stored one. */
  static String wrongSecretFor(String keyId) {
    return FORMAT.generate(keyId).plaintext();
  }

  /** A well-formed key whose id is in no store. */
  static String unknownKey() {
    return FORMAT.generate().plaintext();
  }
}
