package dev.keygate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
import dev.keygate.KeyStateException;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.ParsedKey;
import dev.keygate.Scopes;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testkit.CountingHasher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Randomised properties run at scale with fixed seeds, so failures reproduce. */
class PropertiesAtScaleTest {
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  @ParameterizedTest
  @ValueSource(strings = {"avl", "ak_avalon", "avala_sk", "kg_live"})
  void roundTripAndMutationSensitivity(String prefix) {
    Random random = new Random(prefix.hashCode());
    KeyFormat format = KeyFormat.withPrefix(prefix);
    int mutations = 0;
    for (int i = 0; i < 5_000; i++) {
      ParsedKey key = format.generate();
      String text = key.plaintext();
      assertThat(format.parse(text)).isEqualTo(key);
      for (int m = 0; m < 10; m++) {
        String mutated = mutate(text, random);
        if (!mutated.equals(text)) {
          mutations++;
          assertThat(format.parse(mutated)).as("mutation %s of a valid key", mutated).isNull();
        }
      }
    }
    assertThat(mutations).isGreaterThan(45_000);
  }

  private static String mutate(String s, Random r) {
    int pos = r.nextInt(s.length());
    switch (r.nextInt(5)) {
      case 0: // substitute one base62 character
        return s.substring(0, pos) + BASE62.charAt(r.nextInt(62)) + s.substring(pos + 1);
      case 1: // swap two adjacent characters
        if (pos + 1 >= s.length()) {
          return s;
        }
        return s.substring(0, pos) + s.charAt(pos + 1) + s.charAt(pos) + s.substring(pos + 2);
      case 2: // any character at all
        return s.substring(0, pos) + (char) r.nextInt(0x3000) + s.substring(pos + 1);
      case 3: // drop one
        return s.substring(0, pos) + s.substring(pos + 1);
      default: // insert one
        return s.substring(0, pos) + BASE62.charAt(r.nextInt(62)) + s.substring(pos);
    }
  }

  @Test
  void scopeMatchingAgreesWithItsDefinition() {
    Random random = new Random(7);
    String[] words = {"orders", "read", "write", "admin", "keys", "a"};
    for (int i = 0; i < 50_000; i++) {
      String required = randomScope(random, words, false);
      String granted = randomScope(random, words, true);
      boolean expected = granted.equals("*") || granted.equals(required)
          || (granted.endsWith(".*") && required.startsWith(granted.substring(0, granted.length() - 1)));
      assertThat(Scopes.grants(Set.of(granted), required)).as("%s grants %s", granted, required).isEqualTo(expected);
    }
  }

  private static String randomScope(Random r, String[] words, boolean wildcard) {
    if (wildcard && r.nextInt(20) == 0) {
      return "*";
    }
    StringBuilder sb = new StringBuilder(words[r.nextInt(words.length)]);
    int parts = r.nextInt(3);
    for (int i = 0; i < parts; i++) {
      sb.append('.').append(words[r.nextInt(words.length)]);
    }
    if (wildcard && r.nextInt(3) == 0) {
      sb.append(".*");
    }
    return sb.toString();
  }

  @Test
  void racingRotationsLeaveExactlyOneWorkingSecret() throws Exception {
    InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    KeyFormat format = KeyFormat.withPrefix("kg");
    CountingHasher hasher = new CountingHasher();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Keygate keygate = Keygate.builder().store(store).keyFormat(format).hasher(hasher)
        .usageFlushInterval(Duration.ZERO).failuresPerAddress(new dev.keygate.RateLimit(1_000_000, Duration.ofMinutes(1)))
        .build()) {
      ApiKeyService service = keygate.keys();
      AuthenticationEngine engine = keygate.engine();
      int conflicts = 0;
      for (int round = 0; round < 30; round++) {
        IssuedKey original = service.create(NewKey.named("r" + round));
        String id = original.key().id();
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<Future<IssuedKey>> rotations = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          rotations.add(pool.submit(() -> {
            barrier.await();
            try {
              return service.rotate(id);
            } catch (KeyStateException lost) {
              return null;
            }
          }));
        }
        List<String> candidates = new ArrayList<>(List.of(original.plaintext()));
        for (Future<IssuedKey> f : rotations) {
          IssuedKey k = f.get();
          if (k == null) {
            conflicts++;
          } else {
            candidates.add(k.plaintext());
          }
        }
        long working = candidates.stream()
            .filter(c -> engine.authenticate(AuthenticationRequest.from("10.0.0.1").apiKey(c).build())
                instanceof AuthenticationResult.Authenticated)
            .count();
        assertThat(working).as("round %d", round).isEqualTo(1);
      }
      System.out.println("racing rotations: " + conflicts + " of 30 rounds had a losing rotation (409)");
    } finally {
      pool.shutdownNow();
    }
  }
}
