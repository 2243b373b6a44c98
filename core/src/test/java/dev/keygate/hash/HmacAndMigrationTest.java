package dev.keygate.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The peppered HMAC hasher's refusals and the preferring hasher that migrates stores between
 * algorithms: which hasher reads which hash, and what needs a rehash.
 */
class HmacAndMigrationTest {
  private static final byte[] PEPPER = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SECRET = "Abcdefghijklmnopqrstuvwxyz012345".getBytes(StandardCharsets.US_ASCII);

  @Test
  void aPepperIdIsOneTo32SafeCharacters() {
    assertThat(HmacSha256Hasher.withPepper(PEPPER, "k".repeat(32))).hasToString("HmacSha256Hasher[k=" + "k".repeat(32) + "]");
    assertThatThrownBy(() -> HmacSha256Hasher.withPepper(PEPPER, "k".repeat(33))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HmacSha256Hasher.withPepper(PEPPER, "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HmacSha256Hasher.withPepper(PEPPER, "k$1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pepperId must match [A-Za-z0-9_-]{1,32}");
    assertThatThrownBy(() -> HmacSha256Hasher.withPepper(new byte[15], "k1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anHmacHashVerifiesOnlyItsOwnSecretUnderItsOwnPepper() {
    HmacSha256Hasher h = HmacSha256Hasher.withPepper(PEPPER, "k1");
    String hash = h.hash(SECRET);
    assertThat(h.verify(hash, SECRET)).isTrue();
    assertThat(h.verify(hash, "x".getBytes(StandardCharsets.US_ASCII))).isFalse();
    assertThat(h.verify("$hmac-sha256$k=k1$!!not-base64!!", SECRET)).isFalse();
    assertThat(h.verify("$hmac-sha256$k=k1$", SECRET)).isFalse();
    assertThat(h.verify("$hmac-sha256$k=k2$" + hash.substring(hash.lastIndexOf('$') + 1), SECRET)).isFalse();
    assertThat(h.needsRehash(hash)).isFalse();
    assertThat(h.supports(hash)).isTrue();
    assertThat(h.supports("$argon2id$x")).isFalse();
    assertThat(SECRET[0]).isEqualTo((byte) 'A');
  }

  @Test
  void aPreferringHasherReadsEveryKnownHashAndHashesWithTheFirst() {
    KeyHasher hmac = HmacSha256Hasher.withPepper(PEPPER, "k1");
    KeyHasher argon = Argon2idHasher.builder().memoryKib(2048).iterations(1).parallelism(1).build();
    KeyHasher both = KeyHasher.preferring(argon, hmac);
    String legacy = hmac.hash(SECRET);
    assertThat(both.supports(legacy)).isTrue();
    assertThat(both.supports(argon.hash(SECRET))).isTrue();
    assertThat(both.supports("$bcrypt$x")).isFalse();
    assertThat(both.verify("$bcrypt$x", SECRET)).isFalse();
    assertThat(both.verify(legacy, "x".getBytes(StandardCharsets.US_ASCII))).isFalse();
    assertThat(both.needsRehash("$bcrypt$x")).isTrue();
    String outdated = Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1).build().hash(SECRET);
    assertThat(both.needsRehash(outdated)).as("the primary's own kind, weaker parameters").isTrue();
    assertThat(both.needsRehash(argon.hash(SECRET))).isFalse();
    assertThat(both.toString()).contains("Argon2idHasher").contains("HmacSha256Hasher[k=k1]");
  }
}
