package dev.keygate.servlet;

import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
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

  final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  final FlakyStore store = new FlakyStore();
  final ApiKeyService service =
      ApiKeyService.builder().store(store).format(FORMAT).hasher(HASHER).clock(clock).build();

  /** An engine builder over this store, deterministic, with a failure throttle tests won't hit. */
  AuthenticationEngine.Builder engine() {
    return configure(AuthenticationEngine.builder());
  }

  /** Sets what {@link #engine()} sets on {@code b}. */
  AuthenticationEngine.Builder configure(AuthenticationEngine.Builder b) {
    return b.store(store).format(FORMAT).hasher(HASHER).clock(clock)
        .cacheExecutor(Runnable::run)
        .failureLimit(new RateLimit(1000, Duration.ofMinutes(1)))
        .usageFlushInterval(Duration.ZERO);
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
