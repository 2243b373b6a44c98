package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.DuplicateKeyIdException;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The management API's rules at their limits: field bounds, lifetimes, rotation of active and
 * expired keys, races with another node, and the audit event of every change.
 */
class KeyLifecycleRulesTest {
  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final ObservedStore store = ObservedStore.announcing();
  private final KeyFormat format = KeyFormat.withPrefix("kg_test");
  private final List<KeyEvent> events = new CopyOnWriteArrayList<>();
  private final ApiKeyService service = ApiKeyService.builder().store(store).format(format)
      .hasher(CountingHasher.cheapArgon2id()).clock(clock).listener(events::add).build();

  private String refusedField(NewKey request) {
    try {
      service.create(request);
    } catch (InvalidKeyRequestException e) {
      return e.field();
    }
    return null;
  }

  private ApiKey stored(String id) {
    return store.findById(id).orElseThrow();
  }

  // --- field bounds ----------------------------------------------------------------------------

  @Test
  void textFieldsAreBoundedAndPrintable() {
    assertThat(refusedField(NewKey.named("n".repeat(200)))).isNull();
    assertThat(refusedField(NewKey.named("n".repeat(201)))).isEqualTo("name");
    assertThat(refusedField(NewKey.named("bell\u0007"))).isEqualTo("name");
    assertThat(refusedField(NewKey.named("tab\tinside"))).isEqualTo("name");

    assertThat(refusedField(NewKey.named("a").withEnvironment("e".repeat(64)))).isNull();
    assertThat(refusedField(NewKey.named("a").withEnvironment("e".repeat(65)))).isEqualTo("environment");
    assertThat(refusedField(NewKey.named("a").withEnvironment(" "))).isEqualTo("environment");
    assertThat(refusedField(NewKey.named("a").withEnvironment("prod\n"))).isEqualTo("environment");

    assertThat(refusedField(NewKey.named("a").withOwner("o".repeat(200)))).isNull();
    assertThat(refusedField(NewKey.named("a").withOwner("o".repeat(201)))).isEqualTo("owner");
    assertThat(refusedField(NewKey.named("a").withOwner(""))).isEqualTo("owner");
    assertThat(refusedField(NewKey.named("a").withOwner("org\u0000"))).isEqualTo("owner");
  }

  private static Set<String> scopes(int n) {
    Set<String> s = new HashSet<>();
    for (int i = 0; i < n; i++) {
      s.add("scope" + i + ".read");
    }
    return s;
  }

  private static List<String> addresses(int n) {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add("10.0." + (i / 250) + "." + (i % 250));
    }
    return l;
  }

  private static Map<String, String> metadata(int n) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("k" + i, "v");
    }
    return m;
  }

  @Test
  void collectionsAreBounded() {
    assertThat(refusedField(NewKey.named("a").withScopes(scopes(100)))).isNull();
    assertThat(refusedField(NewKey.named("a").withScopes(scopes(101)))).isEqualTo("scopes");
    assertThat(refusedField(NewKey.named("a").withAllowedIps(addresses(100)))).isNull();
    assertThat(refusedField(NewKey.named("a").withAllowedIps(addresses(101)))).isEqualTo("allowed_ips");
    assertThat(refusedField(NewKey.named("a").withMetadata(metadata(50)))).isNull();
    assertThat(refusedField(NewKey.named("a").withMetadata(metadata(51)))).isEqualTo("metadata");
  }

  @Test
  void metadataEntriesAreBounded() {
    assertThat(refusedField(NewKey.named("a").withMetadata(Map.of("k".repeat(100), "v".repeat(1000))))).isNull();
    assertThat(refusedField(NewKey.named("a").withMetadata(Map.of("", "v")))).isEqualTo("metadata");
    assertThat(refusedField(NewKey.named("a").withMetadata(Map.of("k".repeat(101), "v")))).isEqualTo("metadata");
    assertThat(refusedField(NewKey.named("a").withMetadata(Map.of("k", "v".repeat(1001))))).isEqualTo("metadata");
    assertThat(refusedField(NewKey.named("a").withMetadata(Map.of("k", "")))).isNull();
  }

  @Test
  void anExpiryAtTheMaximumLifetimeIsAccepted() {
    ApiKeyService capped = ApiKeyService.builder().store(store).format(format).hasher(CountingHasher.cheapArgon2id())
        .clock(clock).maxLifetime(Duration.ofDays(90)).build();
    Instant latest = clock.instant().plus(Duration.ofDays(90));
    assertThat(capped.create(NewKey.named("a").withExpiresAt(latest)).key().expiresAt()).isEqualTo(latest);
    Instant sooner = clock.instant().plus(Duration.ofDays(1));
    assertThat(capped.create(NewKey.named("b").withExpiresAt(sooner)).key().expiresAt()).isEqualTo(sooner);
    assertThatThrownBy(() -> capped.create(NewKey.named("c").withExpiresAt(latest.plusMillis(1))))
        .isInstanceOfSatisfying(InvalidKeyRequestException.class, e -> assertThat(e.field()).isEqualTo("expires_at"))
        .hasMessageContaining("PT2160H");
    assertThat(capped.toString()).contains("maxLifetime=PT2160H").contains("kg_test").contains("Argon2idHasher");
  }

  // --- ids -------------------------------------------------------------------------------------

  @Test
  void aTakenIdIsReplacedByAFreshOneUpToFiveAttempts() {
    store.idCollisions.set(4);
    IssuedKey k = service.create(NewKey.named("a"));
    assertThat(stored(k.key().id())).isEqualTo(k.key());
    assertThat(format.parse(k.plaintext()).id()).isEqualTo(k.key().id());

    store.idCollisions.set(5);
    assertThatThrownBy(() -> service.create(NewKey.named("b"))).isInstanceOf(DuplicateKeyIdException.class);
    assertThat(store.delegate.size()).isEqualTo(1);
    assertThat(events).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.CREATED);
  }

  @Test
  void malformedIdsNeverReachTheStore() {
    for (String id : List.of("nope", "' OR 1=1 --", "abcdefabcdef1", "abcdefabcde!")) {
      assertThat(service.get(id)).isEmpty();
      assertThatThrownBy(() -> service.revoke(id)).isInstanceOf(KeyNotFoundException.class);
    }
    assertThat(store.lookups).hasValue(0);
    assertThat(service.get("abcdefabcdef")).isEmpty();
    assertThat(store.lookups).hasValue(1);
  }

  // --- rotation --------------------------------------------------------------------------------

  @Test
  void gracePeriodsRunFromZeroToThirtyDays() {
    String id = service.create(NewKey.named("a")).key().id();
    assertThat(service.rotate(id, Duration.ofDays(30)).key().previousSecretExpiresAt())
        .isEqualTo(clock.instant().plus(Duration.ofDays(30)));
    assertThatThrownBy(() -> service.rotate(id, Duration.ofDays(30).plusMillis(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> service.rotate(id, Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    ApiKey noGrace = service.rotate(id, Duration.ZERO).key();
    assertThat(noGrace.previousSecretHash()).isNull();
    assertThat(noGrace.previousSecretExpiresAt()).isNull();
    assertThat(stored(id).previousSecretExpiresAt()).isNull();
  }

  @Test
  void rotatingAnActiveKeyKeepsItsExpiry() {
    Instant expiry = clock.instant().plus(Duration.ofDays(7));
    String id = service.create(NewKey.named("a").withExpiresAt(expiry)).key().id();
    clock.advance(Duration.ofDays(1));
    assertThat(service.rotate(id).key().expiresAt()).isEqualTo(expiry);
    assertThat(stored(id).expiresAt()).isEqualTo(expiry);
  }

  @Test
  void anExpiredKeyIsRenewedForTheLifetimeSinceItsLastRotationWithoutGrace() {
    String id = service.create(NewKey.named("a").withExpiresAt(clock.instant().plus(Duration.ofDays(7)))).key().id();
    clock.advance(Duration.ofDays(1));
    service.rotate(id); // expiry stays at day 7: six days after this rotation
    clock.advance(Duration.ofDays(7));
    ApiKey renewed = service.rotate(id, Duration.ofHours(1)).key();
    assertThat(renewed.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofDays(6)));
    assertThat(renewed.previousSecretHash()).as("an expired secret gets no grace").isNull();
    assertThat(renewed.previousSecretExpiresAt()).isNull();
  }

  @Test
  void changesReturnTheRecordAsStored() {
    String id = service.create(NewKey.named("a")).key().id();
    assertThat(service.rotate(id, Duration.ofMinutes(5)).key()).isEqualTo(stored(id));
    assertThat(service.revoke(id)).isEqualTo(stored(id));
  }

  private void raceWith(String id, UnaryOperator<ApiKey.Builder> change) {
    store.beforeNextWrite = () -> assertThat(store.delegate.update(change.apply(stored(id).toBuilder()).build())).isTrue();
  }

  @Test
  void aRotationThatLosesARaceFailsAndChangesNothing() {
    IssuedKey k = service.create(NewKey.named("a"));
    raceWith(k.key().id(), b -> b.name("renamed elsewhere"));
    assertThatThrownBy(() -> service.rotate(k.key().id())).isInstanceOf(KeyChangedConcurrentlyException.class)
        .hasMessage("API key " + k.key().id() + " was changed concurrently; try again");
    assertThat(stored(k.key().id()).secretHash()).isEqualTo(k.key().secretHash());
    assertThat(events).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.CREATED);
  }

  @Test
  void aRevokeRacingAnotherRevokeSucceedsQuietly() {
    IssuedKey k = service.create(NewKey.named("a"));
    Instant elsewhere = clock.instant().minusSeconds(1);
    raceWith(k.key().id(), b -> b.revokedAt(elsewhere));
    ApiKey revoked = service.revoke(k.key().id());
    assertThat(revoked.revokedAt()).isEqualTo(elsewhere);
    assertThat(revoked).isEqualTo(stored(k.key().id()));
    assertThat(events).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.CREATED);
  }

  @Test
  void aRevokeRacingAnotherChangeFails() {
    IssuedKey k = service.create(NewKey.named("a"));
    raceWith(k.key().id(), b -> b.name("renamed elsewhere"));
    assertThatThrownBy(() -> service.revoke(k.key().id())).isInstanceOf(KeyChangedConcurrentlyException.class);
    assertThat(stored(k.key().id()).revokedAt()).isNull();
  }

  @Test
  void aDeleteRacingAnotherDeleteReportsTheKeyGone() {
    IssuedKey k = service.create(NewKey.named("a"));
    service.revoke(k.key().id());
    store.beforeNextWrite = () -> store.delegate.delete(k.key().id());
    assertThatThrownBy(() -> service.delete(k.key().id())).isInstanceOf(KeyNotFoundException.class);
    assertThat(events).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.CREATED, KeyEvent.Type.REVOKED);
  }

  // --- audit -----------------------------------------------------------------------------------

  @Test
  void everyChangeIsAuditedWithItsOwnerAndTime() {
    IssuedKey k = service.create(NewKey.named("a").withOwner("org_1"));
    clock.advance(Duration.ofMinutes(1));
    service.rotate(k.key().id());
    clock.advance(Duration.ofMinutes(1));
    service.revoke(k.key().id());
    service.revoke(k.key().id()); // already revoked: nothing happens, nothing is audited
    clock.advance(Duration.ofMinutes(1));
    service.delete(k.key().id());
    assertThat(events).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.CREATED, KeyEvent.Type.ROTATED,
        KeyEvent.Type.REVOKED, KeyEvent.Type.DELETED);
    assertThat(events).allSatisfy(e -> {
      assertThat(e.keyId()).isEqualTo(k.key().id());
      assertThat(e.owner()).isEqualTo("org_1");
      assertThat(e.reason()).isNull();
    });
    assertThat(events).extracting(KeyEvent::at).containsExactly(Instant.parse("2026-01-01T00:00:00Z"),
        Instant.parse("2026-01-01T00:01:00Z"), Instant.parse("2026-01-01T00:02:00Z"), Instant.parse("2026-01-01T00:03:00Z"));
  }
}
