package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.spi.InMemoryApiKeyStore;
import dev.keygate.spi.KeyQuery;
import dev.keygate.testing.CountingHasher;
import dev.keygate.testing.LogCapture;
import dev.keygate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
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
    assertThatThrownBy(() -> service.rotate(k.key().id())).isInstanceOf(KeyStateException.class);
    assertThat(store.findById(k.key().id()).orElseThrow().statusAt(clock.instant())).isEqualTo(KeyStatus.REVOKED);
  }

  @Test
  void onlyRevokedOrExpiredKeysCanBeDeleted() {
    IssuedKey active = service.create(NewKey.named("a"));
    assertThatThrownBy(() -> service.delete(active.key().id())).isInstanceOf(KeyStateException.class);
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
