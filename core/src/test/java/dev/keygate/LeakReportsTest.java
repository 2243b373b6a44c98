package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.LeakOutcome.Verdict;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link ApiKeyService#reportLeaks}: cheap checks first, the hasher within the budget, changes only for real keys. */
class LeakReportsTest {
  private static final String URL = "https://github.com/octocat/hello/blob/abc/.env";
  private final MutableClock clock = MutableClock.atEpochOfTests();
  private final ObservedStore store = ObservedStore.announcing();
  private final KeyFormat format = KeyFormat.withPrefix("kg_test");
  private final CountingHasher hasher = new CountingHasher();
  private final CopyOnWriteArrayList<KeyEvent> events = new CopyOnWriteArrayList<>();
  private final ApiKeyService service = ApiKeyService.builder().store(store).format(format).hasher(hasher)
      .clock(clock).listener(events::add).build();

  private static ReportedLeak leak(String token) {
    return new ReportedLeak(token, URL, "content");
  }

  private LeakOutcome reportOne(String token, LeakPolicy policy) {
    List<LeakOutcome> out = service.reportLeaks(List.of(leak(token)), policy, 10);
    assertThat(out).hasSize(1);
    return out.get(0);
  }

  private IssuedKey issue() {
    IssuedKey k = service.create(NewKey.named("ci").withOwner("acme").withMetadata(Map.of("team", "payments")));
    events.clear();
    return k;
  }

  private ApiKey stored(String id) {
    return store.delegate.findById(id).orElseThrow();
  }

  /** Another secret for the same id, with a valid checksum: a fabricated key carrying a real id. */
  private String fabricated(IssuedKey real) {
    return format.generate(real.key().id()).plaintext();
  }

  @Test
  void aTokenThatIsNotAKeyIsAFalsePositiveWithoutTheStoreOrTheHasher() {
    int lookups = store.lookups.get();
    String real = issue().plaintext();
    String badChecksum = real.substring(0, real.length() - 1) + (real.endsWith("A") ? "B" : "A");
    List<LeakOutcome> out = service.reportLeaks(List.of(leak(badChecksum), leak("hello"), leak("")), LeakPolicy.REVOKE, 10);
    assertThat(out).extracting(LeakOutcome::verdict).containsOnly(Verdict.NOT_A_KEY);
    assertThat(out).noneMatch(LeakOutcome::truePositive);
    assertThat(out.get(0).keyId()).isNull();
    assertThat(store.lookups.get()).isEqualTo(lookups);
    assertThat(hasher.verifications()).isZero();
    assertThat(events).hasSize(3).allSatisfy(e -> {
      assertThat(e.type()).isEqualTo(KeyEvent.Type.LEAK_REPORTED);
      assertThat(e.reason()).isEqualTo("not_a_key");
      assertThat(e.keyId()).isNull();
      assertThat(e.details()).containsEntry("url", URL).containsEntry("source", "content");
    });
  }

  @Test
  void aKeyOfAnUnknownIdIsAFalsePositiveAfterOneLookupAndNoHashing() {
    ParsedKey unknown = format.generate();
    LeakOutcome o = reportOne(unknown.plaintext(), LeakPolicy.REVOKE);
    assertThat(o.verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
    assertThat(o.keyId()).isEqualTo(unknown.id());
    assertThat(o.key()).isNull();
    assertThat(o.truePositive()).isFalse();
    assertThat(store.lookups.get()).isEqualTo(1);
    assertThat(hasher.verifications()).isZero();
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo("unknown_key");
      assertThat(e.keyId()).isEqualTo(unknown.id());
      assertThat(e.owner()).isNull();
    });
  }

  @Test
  void aRealKeyIsRevokedAtOnceWithTheLeakRecordedAndAuditedWithoutTheToken() {
    IssuedKey k = issue();
    clock.advance(Duration.ofMinutes(5));
    LeakOutcome o = reportOne(k.plaintext(), LeakPolicy.REVOKE);
    assertThat(o.verdict()).isEqualTo(Verdict.REVOKED);
    assertThat(o.truePositive()).isTrue();
    assertThat(hasher.verifications()).isEqualTo(1);
    ApiKey after = stored(k.key().id());
    assertThat(o.key()).isEqualTo(after);
    assertThat(after.revokedAt()).isEqualTo(clock.instant());
    assertThat(after.metadata()).containsEntry("team", "payments");
    assertThat(KeyLeak.of(after)).contains(new KeyLeak(clock.instant(), URL, "content", true));
    assertThat(events).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.REVOKED, KeyEvent.Type.LEAK_REPORTED);
    assertThat(events.get(0).reason()).isEqualTo("leaked");
    assertThat(events.get(1).reason()).isEqualTo("revoked");
    assertThat(events.get(1).owner()).isEqualTo("acme");
    assertThat(events.get(1).keyId()).isEqualTo(k.key().id());
    assertThat(events.toString()).doesNotContain(k.plaintext().substring(20));
  }

  @Test
  void aRepeatedReportIsATruePositiveAgainWithoutHashingOrChange() {
    IssuedKey k = issue();
    reportOne(k.plaintext(), LeakPolicy.REVOKE);
    ApiKey first = stored(k.key().id());
    events.clear();
    clock.advance(Duration.ofHours(1));
    LeakOutcome again = reportOne(k.plaintext(), LeakPolicy.REVOKE);
    assertThat(again.verdict()).isEqualTo(Verdict.ALREADY_REVOKED);
    assertThat(again.truePositive()).isTrue();
    assertThat(hasher.verifications()).as("recognised by its SHA-256").isEqualTo(1);
    assertThat(stored(k.key().id())).isEqualTo(first);
    assertThat(events).extracting(KeyEvent::reason).containsExactly("already_revoked");
  }

  @Test
  void aFabricatedTokenCarryingARealIdChangesNothing() {
    IssuedKey k = issue();
    String fake = fabricated(k);
    assertThat(format.parse(fake)).isNotNull();
    LeakOutcome o = reportOne(fake, LeakPolicy.REVOKE);
    assertThat(o.verdict()).isEqualTo(Verdict.WRONG_SECRET);
    assertThat(o.truePositive()).isFalse();
    assertThat(o.key()).isNull();
    assertThat(hasher.verifications()).isEqualTo(1);
    assertThat(stored(k.key().id())).isEqualTo(k.key());
    assertThat(events).extracting(KeyEvent::reason).containsExactly("wrong_secret");
  }

  @Test
  void markingKeepsTheKeyWorkingAndRecordsItOnce() {
    IssuedKey k = issue();
    LeakOutcome o = reportOne(k.plaintext(), LeakPolicy.MARK);
    assertThat(o.verdict()).isEqualTo(Verdict.MARKED);
    assertThat(o.truePositive()).isTrue();
    ApiKey after = stored(k.key().id());
    assertThat(after.revokedAt()).isNull();
    assertThat(after.version()).isEqualTo(k.key().version() + 1);
    assertThat(KeyLeak.of(after)).contains(new KeyLeak(clock.instant(), URL, "content", false));
    assertThat(events).extracting(KeyEvent::type).containsExactly(KeyEvent.Type.LEAK_REPORTED);
    assertThat(events.get(0).reason()).isEqualTo("marked");
    LeakOutcome again = reportOne(k.plaintext(), LeakPolicy.MARK);
    assertThat(again.verdict()).isEqualTo(Verdict.ALREADY_MARKED);
    assertThat(again.truePositive()).isTrue();
    assertThat(stored(k.key().id())).isEqualTo(after);
    assertThat(hasher.verifications()).isEqualTo(1);
    LeakOutcome revoked = reportOne(k.plaintext(), LeakPolicy.REVOKE);
    assertThat(revoked.verdict()).as("a marked key, reported under REVOKE").isEqualTo(Verdict.REVOKED);
    assertThat(KeyLeak.of(stored(k.key().id())).orElseThrow().revoked()).isTrue();
  }

  @Test
  void aKeyRevokedByHandIsAlreadyRevokedAndKeepsItsRecord() {
    IssuedKey k = issue();
    ApiKey revoked = service.revoke(k.key().id());
    LeakOutcome o = reportOne(k.plaintext(), LeakPolicy.REVOKE);
    assertThat(o.verdict()).isEqualTo(Verdict.ALREADY_REVOKED);
    assertThat(stored(k.key().id())).isEqualTo(revoked);
    assertThat(KeyLeak.of(revoked)).isEmpty();
  }

  @Test
  void thePreviousSecretCountsDuringItsGracePeriodOnly() {
    IssuedKey old = issue();
    service.rotate(old.key().id(), Duration.ofHours(1));
    LeakOutcome o = reportOne(old.plaintext(), LeakPolicy.MARK);
    assertThat(o.verdict()).isEqualTo(Verdict.MARKED);
    assertThat(hasher.verifications()).as("the current secret, then the previous").isEqualTo(2);

    IssuedKey other = issue();
    service.rotate(other.key().id(), Duration.ofHours(1));
    clock.advance(Duration.ofHours(1));
    LeakOutcome late = reportOne(other.plaintext(), LeakPolicy.REVOKE);
    assertThat(late.verdict()).as("the grace period is over: that secret is no key").isEqualTo(Verdict.WRONG_SECRET);
    assertThat(hasher.verifications()).isEqualTo(3);
    assertThat(stored(other.key().id()).revokedAt()).isNull();
  }

  @Test
  void revokingForAPreviousSecretEndsItsGraceToo() {
    IssuedKey old = issue();
    service.rotate(old.key().id(), Duration.ofHours(1));
    assertThat(reportOne(old.plaintext(), LeakPolicy.REVOKE).verdict()).isEqualTo(Verdict.REVOKED);
    ApiKey after = stored(old.key().id());
    assertThat(after.revokedAt()).isNotNull();
    assertThat(after.previousSecretHash()).isNull();
    assertThat(after.previousSecretExpiresAt()).isNull();
  }

  @Test
  void theHashingBudgetBoundsTheReportAndWhatIsBeyondItIsNotChecked() {
    IssuedKey a = issue();
    IssuedKey b = issue();
    List<LeakOutcome> out = service.reportLeaks(List.of(leak(a.plaintext()), leak(b.plaintext())), LeakPolicy.REVOKE, 1);
    assertThat(out).extracting(LeakOutcome::verdict).containsExactly(Verdict.REVOKED, Verdict.NOT_CHECKED);
    assertThat(out.get(1).truePositive()).isFalse();
    assertThat(hasher.verifications()).isEqualTo(1);
    assertThat(stored(b.key().id())).isEqualTo(b.key());
    assertThat(reportOne(b.plaintext(), LeakPolicy.REVOKE).verdict()).isEqualTo(Verdict.REVOKED);

    assertThat(service.reportLeaks(List.of(leak(issue().plaintext())), LeakPolicy.REVOKE, 0))
        .extracting(LeakOutcome::verdict).containsExactly(Verdict.NOT_CHECKED);
    assertThat(events).extracting(KeyEvent::reason).containsExactly("not_checked");
  }

  @Test
  void aPreviousSecretBeyondTheBudgetIsNotChecked() {
    IssuedKey old = issue();
    service.rotate(old.key().id(), Duration.ofHours(1));
    assertThat(service.reportLeaks(List.of(leak(old.plaintext())), LeakPolicy.REVOKE, 1))
        .extracting(LeakOutcome::verdict).containsExactly(Verdict.NOT_CHECKED);
    assertThat(hasher.verifications()).isEqualTo(1);
    assertThat(stored(old.key().id()).revokedAt()).isNull();
  }

  @Test
  void aTokenReportedTwiceInOneReportIsCheckedAndAuditedOnce() {
    IssuedKey k = issue();
    List<LeakOutcome> out = service.reportLeaks(List.of(leak(k.plaintext()), leak("x"), leak(k.plaintext())),
        LeakPolicy.REVOKE, 10);
    assertThat(out).extracting(LeakOutcome::verdict).containsExactly(Verdict.REVOKED, Verdict.NOT_A_KEY, Verdict.REVOKED);
    assertThat(hasher.verifications()).isEqualTo(1);
    assertThat(events).extracting(KeyEvent::reason).containsExactly("leaked", "revoked", "not_a_key");
  }

  @Test
  void aConcurrentChangeOfSomethingElseIsRetriedOnTheNewRecord() {
    IssuedKey k = issue();
    store.beforeNextWrite = () -> store.delegate.update(stored(k.key().id()).toBuilder().name("renamed").build());
    assertThat(reportOne(k.plaintext(), LeakPolicy.REVOKE).verdict()).isEqualTo(Verdict.REVOKED);
    ApiKey after = stored(k.key().id());
    assertThat(after.name()).isEqualTo("renamed");
    assertThat(after.revokedAt()).isNotNull();
  }

  @Test
  void aConcurrentRevocationOrDeletionIsTakenAsItIs() {
    IssuedKey k = issue();
    store.beforeNextWrite = () -> store.delegate.update(stored(k.key().id()).toBuilder().revokedAt(clock.instant()).build());
    assertThat(reportOne(k.plaintext(), LeakPolicy.MARK).verdict()).isEqualTo(Verdict.ALREADY_REVOKED);
    assertThat(KeyLeak.of(stored(k.key().id()))).isEmpty();

    IssuedKey d = issue();
    store.beforeNextWrite = () -> store.delegate.delete(d.key().id());
    LeakOutcome gone = reportOne(d.plaintext(), LeakPolicy.REVOKE);
    assertThat(gone.verdict()).isEqualTo(Verdict.UNKNOWN_KEY);
    assertThat(gone.keyId()).isEqualTo(d.key().id());
  }

  @Test
  void aConcurrentRotationLeavesTheKeyAloneAndFails() {
    IssuedKey k = issue();
    store.beforeNextWrite = () -> store.delegate.update(stored(k.key().id()).toBuilder().secretHash("$other$").build());
    assertThatThrownBy(() -> reportOne(k.plaintext(), LeakPolicy.REVOKE))
        .isInstanceOf(KeyChangedConcurrentlyException.class);
    assertThat(stored(k.key().id()).revokedAt()).isNull();
  }

  @Test
  void aKeyThatKeepsChangingFailsAfterThreeAttempts() {
    IssuedKey k = issue();
    Runnable[] rename = new Runnable[1];
    int[] renames = {0};
    rename[0] = () -> {
      renames[0]++;
      store.delegate.update(stored(k.key().id()).toBuilder().name("n" + renames[0]).build());
      store.beforeNextWrite = rename[0];
    };
    store.beforeNextWrite = rename[0];
    assertThatThrownBy(() -> reportOne(k.plaintext(), LeakPolicy.MARK)).isInstanceOf(KeyChangedConcurrentlyException.class);
    assertThat(renames[0]).isEqualTo(3);
    assertThat(KeyLeak.of(stored(k.key().id()))).isEmpty();
  }

  @Test
  void whatIsRecordedIsBoundedAndHasNoControlCharacter() {
    IssuedKey k = issue();
    String url = "https://x/\r\nFORGED\u2028" + "u".repeat(2000);
    service.reportLeaks(List.of(new ReportedLeak(k.plaintext(), url, "s".repeat(100) + "\n")), LeakPolicy.MARK, 10);
    KeyLeak recorded = KeyLeak.of(stored(k.key().id())).orElseThrow();
    assertThat(recorded.url()).hasSize(1000).startsWith("https://x/??FORGED?u").doesNotContain("\r", "\n");
    assertThat(recorded.source()).isEqualTo("s".repeat(64));
    assertThat(events.get(0).details().get("url")).isEqualTo(recorded.url());
    assertThat(LeakChecks.clean("a\ud83d\udd11b\u2029", 10)).isEqualTo("a??b?");
    assertThat(LeakChecks.clean("abc", 3)).isEqualTo("abc");
  }

  @Test
  void aRecordNotOfKeygatesFormIsNoLeak() {
    ApiKey k = issue().key();
    Map<String, String> m = Map.of(KeyLeak.REPORTED_AT, "yesterday", KeyLeak.ACTION, KeyLeak.REVOKED);
    assertThat(KeyLeak.of(k.toBuilder().metadata(m).build())).isEmpty();
    assertThat(KeyLeak.of(k.toBuilder().metadata(Map.of(KeyLeak.REPORTED_AT, "2026-01-01T00:00:00Z",
        KeyLeak.ACTION, "other")).build())).isEmpty();
    assertThat(KeyLeak.of(k.toBuilder().metadata(Map.of(KeyLeak.ACTION, KeyLeak.MARKED)).build())).isEmpty();
    assertThat(KeyLeak.of(k.toBuilder().metadata(Map.of(KeyLeak.REPORTED_AT, "2026-01-01T00:00:00Z",
        KeyLeak.ACTION, KeyLeak.MARKED)).build())).hasValueSatisfying(l -> {
          assertThat(l.url()).isEmpty();
          assertThat(l.source()).isEmpty();
          assertThat(l.revoked()).isFalse();
        });
  }

  @Test
  void callersCannotWriteTheReservedMetadata() {
    assertThatThrownBy(() -> service.create(NewKey.named("x").withMetadata(Map.of("keygate.leak.action", "revoked"))))
        .isInstanceOfSatisfying(InvalidKeyRequestException.class, e -> {
          assertThat(e.field()).isEqualTo("metadata");
          assertThat(e.getMessage()).contains("reserved");
        });
    assertThat(service.create(NewKey.named("x").withMetadata(Map.of("keygatex", "ok"))).key().metadata())
        .containsEntry("keygatex", "ok");
  }

  @Test
  void aNegativeBudgetIsRefusedAndTheTokenNeverShown() {
    assertThatThrownBy(() -> service.reportLeaks(List.of(), LeakPolicy.REVOKE, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    assertThat(service.reportLeaks(List.of(), LeakPolicy.REVOKE, 0)).isEmpty();
    String token = issue().plaintext();
    assertThat(leak(token).toString()).doesNotContain(token).contains(URL);
    assertThat(Verdict.WRONG_SECRET.label()).isEqualTo("wrong_secret");
  }

  @Test
  void aFabricatedTokenForAKeyReportedBeforeIsStillVerified() {
    IssuedKey k = issue();
    reportOne(k.plaintext(), LeakPolicy.MARK);
    ApiKey marked = stored(k.key().id());
    LeakOutcome o = reportOne(fabricated(k), LeakPolicy.MARK);
    assertThat(o.verdict()).as("the recorded SHA-256 matches only the reported token").isEqualTo(Verdict.WRONG_SECRET);
    assertThat(hasher.verifications()).isEqualTo(2);
    assertThat(stored(k.key().id())).isEqualTo(marked);
  }

  @Test
  void aFabricatedTokenForAKeyInItsGracePeriodMatchesNeitherSecret() {
    IssuedKey old = issue();
    service.rotate(old.key().id(), Duration.ofHours(1));
    ApiKey rotated = stored(old.key().id());
    assertThat(reportOne(fabricated(old), LeakPolicy.REVOKE).verdict()).isEqualTo(Verdict.WRONG_SECRET);
    assertThat(hasher.verifications()).isEqualTo(2);
    assertThat(stored(old.key().id())).isEqualTo(rotated);
  }

  @Test
  void aPreviousSecretCostsTwoHasherRunsOfTheBudgetExactly() {
    IssuedKey old = issue();
    service.rotate(old.key().id(), Duration.ofHours(1));
    IssuedKey b = issue();
    IssuedKey c = issue();
    List<LeakOutcome> out = service.reportLeaks(List.of(leak(old.plaintext()), leak(b.plaintext()), leak(c.plaintext())),
        LeakPolicy.REVOKE, 3);
    assertThat(out).extracting(LeakOutcome::verdict).containsExactly(Verdict.REVOKED, Verdict.REVOKED, Verdict.NOT_CHECKED);
    assertThat(hasher.verifications()).isEqualTo(3);

    IssuedKey d = issue();
    service.rotate(d.key().id(), Duration.ofHours(1));
    assertThat(service.reportLeaks(List.of(leak(d.plaintext())), LeakPolicy.REVOKE, 2))
        .extracting(LeakOutcome::verdict).containsExactly(Verdict.REVOKED);
  }

  @Test
  void aConcurrentChangeOfThePreviousSecretLeavesTheKeyAloneAndFails() {
    IssuedKey k = issue();
    store.beforeNextWrite = () -> store.delegate.update(stored(k.key().id()).toBuilder().previousSecretHash("$old$")
        .previousSecretExpiresAt(clock.instant().plus(Duration.ofHours(1))).build());
    assertThatThrownBy(() -> reportOne(k.plaintext(), LeakPolicy.REVOKE))
        .isInstanceOf(KeyChangedConcurrentlyException.class);
    assertThat(stored(k.key().id()).revokedAt()).isNull();
  }

  @Test
  void aConcurrentRevocationThatEndsAGracePeriodIsTakenAsItIs() {
    IssuedKey old = issue();
    service.rotate(old.key().id(), Duration.ofHours(1));
    // the owner revokes while the report is applied: the previous secret's hash goes with the revocation
    store.beforeNextWrite = () -> store.delegate.update(stored(old.key().id()).toBuilder().revokedAt(clock.instant())
        .previousSecretHash(null).previousSecretExpiresAt(null).build());
    assertThat(reportOne(old.plaintext(), LeakPolicy.REVOKE).verdict()).isEqualTo(Verdict.ALREADY_REVOKED);
    assertThat(KeyLeak.of(stored(old.key().id()))).isEmpty();
  }

  @Test
  void aLeakActedOnIsAWarningAndAFalsePositiveInformation() {
    IssuedKey k = issue();
    try (dev.keygate.testing.LogCapture logs = new dev.keygate.testing.LogCapture()) {
      service.reportLeaks(List.of(leak("nope"), leak(k.plaintext())), LeakPolicy.MARK, 10);
      reportOne(k.plaintext(), LeakPolicy.MARK);
      assertThat(logs.levelledLines()).filteredOn(l -> l.contains("leak reported")).containsExactly(
          "INFO dev.keygate.audit leak reported: outcome=not_a_key key=null owner=null source=content url=" + URL,
          "WARN dev.keygate.audit leak reported: outcome=marked key=" + k.key().id() + " owner=acme source=content url="
              + URL,
          "INFO dev.keygate.audit leak reported: outcome=already_marked key=" + k.key().id()
              + " owner=acme source=content url=" + URL);
      assertThat(logs.text()).doesNotContain(k.plaintext().substring(20));
    }
  }
}
