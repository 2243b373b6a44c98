package dev.keygate.benchmarks;

import dev.keygate.ApiKeyService;
import dev.keygate.ApiKeyStore;
import dev.keygate.AuthenticationRequest;
import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.HmacSha256Hasher;
import dev.keygate.hash.KeyHasher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** What every benchmark starts from: one key format, the two hashers, keys issued into a store. */
public final class Fixture {
  /** The prefix of every benchmark key. */
  public static final String PREFIX = "kg_live";
  /** The format of every benchmark key. */
  public static final KeyFormat FORMAT = KeyFormat.withPrefix(PREFIX);

  private Fixture() {}

  /** A request from 127.0.0.1 presenting {@code key}. */
  public static AuthenticationRequest request(String key) {
    return AuthenticationRequest.from("127.0.0.1").apiKey(key).build();
  }

  /** Argon2id at the OWASP defaults (m=19456 KiB, t=2, p=1), as an engine uses without a hasher. */
  public static KeyHasher argon2id() {
    return Argon2idHasher.withDefaults();
  }

  /** HMAC-SHA-256 with a fixed 32-byte pepper. */
  public static KeyHasher hmacSha256() {
    byte[] pepper = new byte[32];
    for (int i = 0; i < pepper.length; i++) {
      pepper[i] = (byte) (31 * i + 7);
    }
    return HmacSha256Hasher.withPepper(pepper, "k1");
  }

  /** The hasher called {@code argon2id} or {@code hmac}. */
  public static KeyHasher hasher(String name) {
    return switch (name) {
      case "argon2id" -> argon2id();
      case "hmac" -> hmacSha256();
      default -> throw new IllegalArgumentException("hasher must be argon2id or hmac, got " + name);
    };
  }

  /** Keygate on {@code store} with {@link #FORMAT} keys hashed by {@code hasher}; add settings, then build. */
  public static Keygate.Builder keygate(ApiKeyStore store, KeyHasher hasher) {
    return Keygate.builder().store(store).keyFormat(FORMAT).hasher(hasher);
  }

  /** Issues {@code count} keys, hashing on every core (Argon2id takes ~22 ms a key). */
  public static List<IssuedKey> issue(ApiKeyService keys, int count) {
    return issue(keys, count, i -> NewKey.named("bench-" + i));
  }

  /** Issues the keys {@code request} describes for 0 to {@code count - 1}, hashing on every core. */
  public static List<IssuedKey> issue(ApiKeyService keys, int count, IntFunction<NewKey> request) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<IssuedKey>> futures = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        NewKey key = request.apply(i);
        futures.add(pool.submit(() -> keys.create(key)));
      }
      List<IssuedKey> out = new ArrayList<>(count);
      for (Future<IssuedKey> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while issuing keys", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not issue keys", e.getCause());
    } finally {
      pool.shutdown();
    }
  }

  /** A well-formed key (valid checksum) whose id no store holds. */
  public static String unknownKey() {
    return FORMAT.generate().plaintext();
  }

  /** A well-formed key for {@code keyId} with a fresh, wrong secret. */
  public static String wrongSecret(String keyId) {
    return FORMAT.generate(keyId).plaintext();
  }

  /** {@code key} with its last checksum character changed: fails the checksum. */
  public static String badChecksum(String key) {
    char last = key.charAt(key.length() - 1);
    return key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A');
  }
}
