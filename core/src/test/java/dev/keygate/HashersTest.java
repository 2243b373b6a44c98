package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.hash.Argon2idHasher;
import dev.keygate.hash.HmacSha256Hasher;
import dev.keygate.hash.KeyHasher;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HashersTest {
  private static final byte[] SECRET = "Abcdefghijklmnopqrstuvwxyz012345".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER = "Bbcdefghijklmnopqrstuvwxyz012345".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PEPPER = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static Argon2idHasher cheap() {
    return Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1).build();
  }

  @Test
  void argon2idProducesPhcStringsThatVerify() {
    Argon2idHasher h = cheap();
    String hash = h.hash(SECRET);
    assertThat(hash).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
    assertThat(h.verify(hash, SECRET)).isTrue();
    assertThat(h.verify(hash, OTHER)).isFalse();
    assertThat(h.hash(SECRET)).as("fresh salt").isNotEqualTo(hash);
    assertThat(h.verify("$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA", SECRET)).isFalse();
    assertThat(h.verify("garbage", SECRET)).isFalse();
    assertThat(SECRET[0]).as("the caller's array is left to the caller").isEqualTo((byte) 'A');
  }

  @Test
  void defaultsAreOwasp() {
    assertThat(Argon2idHasher.withDefaults().hash(SECRET)).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
  }

  @Test
  void needsRehashWhenParametersChange() {
    Argon2idHasher weak = cheap();
    Argon2idHasher strong = Argon2idHasher.builder().memoryKib(2048).iterations(2).parallelism(1).build();
    String old = weak.hash(SECRET);
    assertThat(weak.needsRehash(old)).isFalse();
    assertThat(strong.needsRehash(old)).isTrue();
    assertThat(strong.verify(old, SECRET)).as("old parameters still verify").isTrue();
  }

  @Test
  void pepperIsRequiredToVerify() {
    Argon2idHasher peppered = Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1).pepper(PEPPER).build();
    String hash = peppered.hash(SECRET);
    assertThat(peppered.verify(hash, SECRET)).isTrue();
    assertThat(cheap().verify(hash, SECRET)).isFalse();
    assertThat(peppered.toString()).doesNotContain("0123456789abcdef");
  }

  @Test
  void hmacHasherVerifiesAndNamesItsPepper() {
    HmacSha256Hasher h = HmacSha256Hasher.withPepper(PEPPER, "k1");
    String hash = h.hash(SECRET);
    assertThat(hash).startsWith("$hmac-sha256$k=k1$");
    assertThat(h.verify(hash, SECRET)).isTrue();
    assertThat(h.verify(hash, OTHER)).isFalse();
    assertThat(HmacSha256Hasher.withPepper(PEPPER, "k2").needsRehash(hash)).isTrue();
  }

  @Test
  void preferringHasherMigratesBetweenAlgorithms() {
    KeyHasher hmac = HmacSha256Hasher.withPepper(PEPPER, "k1");
    KeyHasher both = KeyHasher.preferring(cheap(), hmac);
    String legacy = hmac.hash(SECRET);
    assertThat(both.verify(legacy, SECRET)).isTrue();
    assertThat(both.needsRehash(legacy)).isTrue();
    String fresh = both.hash(SECRET);
    assertThat(fresh).startsWith("$argon2id$");
    assertThat(both.needsRehash(fresh)).isFalse();
    assertThat(both.verify(fresh, OTHER)).isFalse();
  }
}
