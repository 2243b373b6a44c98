package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.KeyQuery;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testing.LogCapture;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ApiKeyServiceTest {
  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
  private final KeyFormat format = KeyFormat.withPrefix("kg_test");
  private final CopyOnWriteArrayList<KeyEvent> events = new CopyOnWriteArrayList<>();
  private final ApiKeyService service = ApiKeyService.builder().store(store).format(format)
      .hasher(CountingHasher.cheapArgon2id()).clock(clock).listener(events::add).build();

  @Test
  void createStoresEveryAttributeAndNoPlaintext() {
    Instant expiry = clock.instant().plus(Duration.ofDays(30));
    IssuedKey issued = service.create(NewKey.named(" CI deploy ").withScopes("orders.read", "orders.*")
        .withEnvironment("live").withOwner("org_1").withExpiresAt(expiry)
        .withAllowedIps(List.of("10.0.0.0/8", "2001:db8::1")).withRateLimit(new RateLimit(5, Duration.ofMinutes(1)))
        .withMetadata(Map.of("team", "payments")));
    ApiKey k = issued.key();
    assertThat(format.parse(issued.plaintext())).isNotNull();
    assertThat(format.parse(issued.plaintext()).id()).isEqualTo(k.id());
    assertThat(k.name()).isEqualTo("CI deploy");
    assertThat(k.hint()).isEqualTo(format.hint(k.id()));
    assertThat(k.secretHash()).startsWith("$argon2id$").doesNotContain(issued.plaintext().substring(20));
    assertThat(k.scopes()).containsExactlyInAnyOrder("orders.read", "orders.*");
    assertThat(k.expiresAt()).isEqualTo(expiry);
    assertThat(k.statusAt(clock.instant())).isEqualTo(KeyStatus.ACTIVE);
    assertThat(store.findById(k.id())).contains(k);
    assertThat(issued.toString()).doesNotContain(issued.plaintext());
    assertThat(k.toString()).doesNotContain(k.secretHash()).contains(k.id());
    assertThat(events).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.CREATED);
  }

  @Test
  void invalidRequestsNameTheField() {
    assertThatThrownBy(() -> service.create(NewKey.named(" ")))
        .isInstanceOfSatisfying(InvalidKeyRequestException.class, e -> assertThat(e.field()).isEqualTo("name"));
    assertThatThrownBy(() -> service.create(NewKey.named("a").withScopes("bad scope")))
        .isInstanceOfSatisfying(InvalidKeyRequestException.class, e -> assertThat(e.field()).isEqualTo("scopes"));
    assertThatThrownBy(() -> service.create(NewKey.named("a").withAllowedIps(List.of("example.com"))))
        .isInstanceOfSatisfying(InvalidKeyRequestException.class, e -> assertThat(e.field()).isEqualTo("allowed_ips"));
    assertThatThrownBy(() -> service.create(NewKey.named("a").withExpiresAt(clock.instant())))
        .isInstanceOfSatisfying(InvalidKeyRequestException.class, e -> assertThat(e.field()).isEqualTo("expires_at"));
    assertThat(store.list(KeyQuery.all(clock.instant())).items()).isEmpty();
  }

  private static void refused(Runnable attempt, String field) {
    assertThatThrownBy(attempt::run).as(field)
        .isInstanceOfSatisfying(InvalidKeyRequestException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void nullsInsideTheRequestAreRefusedNamingTheField() {
    Set<String> nullScope = new HashSet<>(Arrays.asList("a", null));
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("team", null);
    Map<String, String> nullKey = new HashMap<>();
    nullKey.put(null, "x");
    refused(() -> NewKey.named("a").withScopes(nullScope), "scopes");
    refused(() -> NewKey.named("a").withScopes((String) null), "scopes");
    refused(() -> NewKey.named("a").withScopes((Set<String>) null), "scopes");
    refused(() -> NewKey.named("a").withAllowedIps(Arrays.asList("10.0.0.1", null)), "allowed_ips");
    refused(() -> NewKey.named("a").withAllowedIps(null), "allowed_ips");
    refused(() -> NewKey.named("a").withMetadata(nullValue), "metadata");
    refused(() -> NewKey.named("a").withMetadata(nullKey), "metadata");
    refused(() -> NewKey.named(null), "name");
    assertThat(NewKey.named("a").withScopes("x", "x").scopes()).containsExactly("x");
  }

  @Test
  void emptyElementsAreRefused() {
    refused(() -> service.create(NewKey.named("a").withScopes("")), "scopes");
    refused(() -> service.create(NewKey.named("a").withAllowedIps(List.of(""))), "allowed_ips");
    refused(() -> service.create(NewKey.named("a").withMetadata(Map.of("", "x"))), "metadata");
    refused(() -> service.create(NewKey.named("a").withEnvironment("")), "environment");
    refused(() -> service.create(NewKey.named("a").withOwner("")), "owner");
  }

  @Test
  void expiriesBeyondWhatEveryStoreKeepsAreRefused() {
    for (Instant tooLate : List.of(ApiKeyService.LATEST_EXPIRY.plusNanos(1), Instant.parse("+10000-01-01T00:00:00Z"),
        Instant.parse("+1000000000-01-01T00:00:00Z"), Instant.MAX)) {
      refused(() -> service.create(NewKey.named("a").withExpiresAt(tooLate)), "expires_at");
    }
    assertThat(service.create(NewKey.named("a").withExpiresAt(ApiKeyService.LATEST_EXPIRY)).key().expiresAt())
        .isEqualTo(Instant.parse("9999-12-31T23:59:59.999999Z"));
    refused(() -> service.create(NewKey.named("a").withExpiresAt(Instant.MIN)), "expires_at");
  }

  @Test
  void instantsAreKeptToTheMicrosecondAsEveryStoreKeepsThem() {
    clock.set(Instant.parse("2026-01-01T00:00:00.123456789Z"));
    ApiKey k = service.create(NewKey.named("a").withExpiresAt(Instant.parse("2026-02-01T00:00:00.999999999Z"))).key();
    assertThat(k.createdAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00.123456Z"));
    assertThat(k.expiresAt()).isEqualTo(Instant.parse("2026-02-01T00:00:00.999999Z"));
    assertThat(store.findById(k.id())).contains(k);
    refused(() -> service.create(NewKey.named("a").withExpiresAt(Instant.parse("2026-01-01T00:00:00.123456999Z"))),
        "expires_at"); // the same microsecond as now: not in the future
  }

  @Test
  void aMaximumLifetimeBeyondTheLatestExpiryEndsThere() {
    ApiKeyService forever = ApiKeyService.builder().store(store).format(format).hasher(CountingHasher.cheapArgon2id())
        .clock(clock).maxLifetime(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)).build();
    assertThat(forever.create(NewKey.named("a")).key().expiresAt()).isEqualTo(ApiKeyService.LATEST_EXPIRY);
    assertThat(forever.create(NewKey.named("b").withExpiresAt(ApiKeyService.LATEST_EXPIRY)).key().expiresAt())
        .isEqualTo(ApiKeyService.LATEST_EXPIRY);
  }

  @Test
  void renewingAnExpiredKeyNeverGoesPastTheLatestExpiry() {
    clock.set(Instant.parse("5000-01-01T00:00:00Z"));
    IssuedKey k = service.create(NewKey.named("a").withExpiresAt(Instant.parse("9000-01-01T00:00:00Z")));
    clock.set(Instant.parse("9500-01-01T00:00:00Z"));
    assertThat(service.rotate(k.key().id()).key().expiresAt()).isEqualTo(ApiKeyService.LATEST_EXPIRY);
  }

  @Test
  void textThatAStoreCouldNotKeepOrThatLooksLikeAnotherIsRefused() {
    for (String bad : List.of("a\u0000b", "a\nb", "a\u007fb", "a\u0085b", "a\u2028b", "a\ud800b", "a\udc00", "\ud83d")) {
      refused(() -> service.create(NewKey.named(bad)), "name");
      refused(() -> service.create(NewKey.named("a").withEnvironment(bad)), "environment");
      refused(() -> service.create(NewKey.named("a").withOwner(bad)), "owner");
      refused(() -> service.create(NewKey.named("a").withMetadata(Map.of(bad, "v"))), "metadata");
    }
    for (String padded : List.of(" acme", "acme ", "acme\u3000", "\tacme")) {
      refused(() -> service.create(NewKey.named("a").withOwner(padded)), "owner");
      refused(() -> service.create(NewKey.named("a").withEnvironment(padded)), "environment");
    }
    ApiKey ok = service.create(NewKey.named(" \ud83d\udd11 ops ").withOwner("\u4e2d\u6587 org").withEnvironment("prod \u00e9")
        .withMetadata(Map.of("note", "line one\nline two\u0000"))).key();
    assertThat(ok.name()).isEqualTo("\ud83d\udd11 ops");
  }

  @Test
  void sizesAreBoundedForEveryField() {
    refused(() -> service.create(NewKey.named("n".repeat(201))), "name");
    refused(() -> service.create(NewKey.named("n".repeat(1_000_000))), "name");
    service.create(NewKey.named("\ud83d\udd11".repeat(100)));
    Set<String> tooMany = new HashSet<>();
    for (int i = 0; i < 101; i++) {
      tooMany.add("s" + i);
    }
    refused(() -> service.create(NewKey.named("a").withScopes(tooMany)), "scopes");
    tooMany.remove("s0");
    service.create(NewKey.named("a").withScopes(tooMany));
    String scope200 = "w".repeat(64) + "." + "w".repeat(64) + "." + "w".repeat(64) + ".wwwww";
    service.create(NewKey.named("a").withScopes(scope200));
    refused(() -> service.create(NewKey.named("a").withScopes(scope200 + "w")), "scopes");
    refused(() -> service.create(NewKey.named("a").withEnvironment("e".repeat(65))), "environment");
    refused(() -> service.create(NewKey.named("a").withOwner("o".repeat(201))), "owner");
    refused(() -> service.create(NewKey.named("a").withAllowedIps(Collections.nCopies(101, "10.0.0.1"))), "allowed_ips");
    refused(() -> service.create(NewKey.named("a").withMetadata(Map.of("k".repeat(101), ""))), "metadata");
    refused(() -> service.create(NewKey.named("a").withMetadata(Map.of("k", "v".repeat(1001)))), "metadata");
    Map<String, String> big = new HashMap<>();
    for (int i = 0; i < 10; i++) {
      big.put("k" + i, "v".repeat(998)); // 1,000 characters per entry: 10,000 in all
    }
    service.create(NewKey.named("a").withMetadata(big));
    big.put("k10", "");
    refused(() -> service.create(NewKey.named("a").withMetadata(big)), "metadata"); // 10,003
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 51; i++) {
      many.put("k" + i, "");
    }
    refused(() -> service.create(NewKey.named("a").withMetadata(many)), "metadata");
  }

  @Test
  void maxLifetimeCapsAndDefaultsExpiry() {
    ApiKeyService capped = ApiKeyService.builder().store(store).format(format)
        .hasher(CountingHasher.cheapArgon2id()).clock(clock).maxLifetime(Duration.ofDays(90)).build();
    assertThat(capped.create(NewKey.named("a")).key().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(90)));
    assertThatThrownBy(() -> capped.create(NewKey.named("b").withExpiresAt(clock.instant().plus(Duration.ofDays(91)))))
        .isInstanceOf(InvalidKeyRequestException.class);
  }

  @Test
  void expiryIsDerivedFromTheClockAndTheBoundaryInstantIsExpired() {
    Instant expiry = clock.instant().plus(Duration.ofHours(1));
    ApiKey k = service.create(NewKey.named("a").withExpiresAt(expiry)).key();
    assertThat(k.statusAt(expiry.minusNanos(1))).isEqualTo(KeyStatus.ACTIVE);
    assertThat(k.statusAt(expiry)).isEqualTo(KeyStatus.EXPIRED);
    clock.set(expiry);
    assertThat(k.status(clock)).isEqualTo(KeyStatus.EXPIRED);
  }

  @Test
  void rotateKeepsTheIdAndReplacesTheSecret() {
    IssuedKey first = service.create(NewKey.named("a"));
    clock.advance(Duration.ofMinutes(1));
    IssuedKey second = service.rotate(first.key().id());
    assertThat(second.key().id()).isEqualTo(first.key().id());
    assertThat(second.plaintext()).isNotEqualTo(first.plaintext());
    ApiKey stored = store.findById(first.key().id()).orElseThrow();
    assertThat(stored.secretHash()).isNotEqualTo(first.key().secretHash());
    assertThat(stored.previousSecretHash()).isNull();
    assertThat(stored.rotatedAt()).isEqualTo(clock.instant());
    assertThat(events).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.CREATED, KeyEvent.Type.ROTATED);
  }

  @Test
  void rotateWithGraceKeepsThePreviousSecretUntilTheGraceEnds() {
    IssuedKey first = service.create(NewKey.named("a"));
    service.rotate(first.key().id(), Duration.ofMinutes(10));
    ApiKey stored = store.findById(first.key().id()).orElseThrow();
    assertThat(stored.previousSecretHash()).isEqualTo(first.key().secretHash());
    assertThat(stored.previousSecretValidAt(clock.instant().plus(Duration.ofMinutes(10)).minusNanos(1))).isTrue();
    assertThat(stored.previousSecretValidAt(clock.instant().plus(Duration.ofMinutes(10)))).isFalse();
    assertThatThrownBy(() -> service.rotate(first.key().id(), Duration.ofDays(31)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rotatingAnExpiredKeyRenewsItsLifetime() {
    IssuedKey k = service.create(NewKey.named("a").withExpiresAt(clock.instant().plus(Duration.ofDays(7))));
    clock.advance(Duration.ofDays(8));
    IssuedKey renewed = service.rotate(k.key().id());
    assertThat(renewed.key().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(7)));
    assertThat(renewed.key().statusAt(clock.instant())).isEqualTo(KeyStatus.ACTIVE);
  }

  @Test
  void revokedKeysCannotBeRotatedAndRevokeIsIdempotent() {
    IssuedKey k = service.create(NewKey.named("a"));
    ApiKey revoked = service.revoke(k.key().id());
    assertThat(revoked.revokedAt()).isEqualTo(clock.instant());
    clock.advance(Duration.ofMinutes(1));
    assertThat(service.revoke(k.key().id()).revokedAt()).isEqualTo(revoked.revokedAt());
    assertThatThrownBy(() -> service.rotate(k.key().id())).isInstanceOf(KeyStateRefusedException.class)
        .hasMessage("API key " + k.key().id() + " is revoked and cannot be rotated");
    assertThat(store.findById(k.key().id()).orElseThrow().statusAt(clock.instant())).isEqualTo(KeyStatus.REVOKED);
  }

  @Test
  void onlyRevokedOrExpiredKeysCanBeDeleted() {
    IssuedKey active = service.create(NewKey.named("a"));
    assertThatThrownBy(() -> service.delete(active.key().id())).isInstanceOf(KeyStateRefusedException.class)
        .hasMessage("API key " + active.key().id() + " is active; only revoked or expired keys can be deleted");
    service.revoke(active.key().id());
    service.delete(active.key().id());
    assertThat(store.findById(active.key().id())).isEmpty();
    assertThatThrownBy(() -> service.delete(active.key().id())).isInstanceOf(KeyNotFoundException.class);

    IssuedKey expiring = service.create(NewKey.named("b").withExpiresAt(clock.instant().plusSeconds(60)));
    clock.advance(Duration.ofSeconds(60));
    service.delete(expiring.key().id());
    assertThat(store.findById(expiring.key().id())).isEmpty();
  }

  @Test
  void unknownAndMalformedIdsAreNotFound() {
    assertThat(service.get("nope")).isEmpty();
    assertThatThrownBy(() -> service.rotate("abcdefabcdef")).isInstanceOf(KeyNotFoundException.class);
    assertThatThrownBy(() -> service.revoke("../../etc")).isInstanceOf(KeyNotFoundException.class);
  }

  @Test
  void listFiltersByOwnerAndStatus() {
    service.create(NewKey.named("a").withOwner("org_1"));
    clock.advance(Duration.ofSeconds(1)); // the list is ordered by creation time, then id
    String revoked = service.create(NewKey.named("b").withOwner("org_1")).key().id();
    clock.advance(Duration.ofSeconds(1));
    service.create(NewKey.named("c").withOwner("org_2"));
    service.revoke(revoked);
    assertThat(service.list(service.query().withOwner("org_1")).items()).extracting(ApiKey::name).containsExactly("a", "b");
    assertThat(service.list(service.query().withOwner("org_1").withStatus(KeyStatus.ACTIVE)).items())
        .extracting(ApiKey::name).containsExactly("a");
  }

  @Test
  void noSecretOrHashReachesALogOrAnEvent() {
    try (LogCapture logs = new LogCapture()) {
      IssuedKey k = service.create(NewKey.named("a").withScopes(Set.of("x")));
      IssuedKey rotated = service.rotate(k.key().id(), Duration.ofMinutes(5));
      service.revoke(k.key().id());
      service.delete(k.key().id());
      String text = logs.text() + events;
      assertThat(logs.lines()).isNotEmpty();
      for (IssuedKey i : List.of(k, rotated)) {
        assertThat(text).doesNotContain(i.plaintext()).doesNotContain(i.plaintext().substring(20, 52))
            .doesNotContain(i.key().secretHash());
      }
    }
  }
}
