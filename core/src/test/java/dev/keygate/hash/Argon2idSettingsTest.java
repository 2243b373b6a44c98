package dev.keygate.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The Argon2id hasher's settings at their bounds, what it answers for hashes it cannot read, and
 * that it leaves the caller's secret alone.
 */
class Argon2idSettingsTest {
  private static final byte[] PEPPER = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static Argon2idHasher.Builder cheap() {
    return Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1);
  }

  private static byte[] secret() {
    return "Abcdefghijklmnopqrstuvwxyz012345".getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void memoryIsBetweenOneMibAndFourGib() {
    assertThat(Argon2idHasher.builder().memoryKib(1024).build()).hasToString("Argon2idHasher[m=1024,t=2,p=1]");
    assertThat(Argon2idHasher.builder().memoryKib(4 * 1024 * 1024).build().toString()).contains("m=4194304");
    assertThatThrownBy(() -> Argon2idHasher.builder().memoryKib(1023)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("memoryKib must be in [1024, 4194304], got 1023");
    assertThatThrownBy(() -> Argon2idHasher.builder().memoryKib(4 * 1024 * 1024 + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void iterationsAreBetweenOneAndAHundred() {
    assertThat(Argon2idHasher.builder().iterations(1).build().toString()).contains("t=1");
    assertThat(Argon2idHasher.builder().iterations(100).build().toString()).contains("t=100");
    assertThatThrownBy(() -> Argon2idHasher.builder().iterations(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("iterations must be in [1, 100], got 0");
    assertThatThrownBy(() -> Argon2idHasher.builder().iterations(101)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parallelismIsBetweenOneAndSixtyFour() {
    assertThat(Argon2idHasher.builder().parallelism(1).build().toString()).contains("p=1");
    assertThat(Argon2idHasher.builder().parallelism(64).build().toString()).contains("p=64");
    assertThatThrownBy(() -> Argon2idHasher.builder().parallelism(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parallelism must be in [1, 64], got 0");
    assertThatThrownBy(() -> Argon2idHasher.builder().parallelism(65)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aPepperIsAtLeastSixteenBytesAndNeverShown() {
    Argon2idHasher peppered = cheap().pepper(PEPPER).build();
    assertThat(peppered).hasToString("Argon2idHasher[m=1024,t=1,p=1,peppered]");
    assertThatThrownBy(() -> cheap().pepper(new byte[15])).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pepper must be at least 16 bytes, got 15");
  }

  @Test
  void eachSettingIsGivenOnceAndASecondCallNamesItsValueButNeverThePepper() {
    assertThatThrownBy(() -> Argon2idHasher.builder().memoryKib(2048).memoryKib(4096))
        .isInstanceOf(IllegalStateException.class).hasMessage("memoryKib was already set to 2048");
    assertThatThrownBy(() -> Argon2idHasher.builder().iterations(3).iterations(3))
        .isInstanceOf(IllegalStateException.class).hasMessage("iterations was already set to 3");
    assertThatThrownBy(() -> Argon2idHasher.builder().parallelism(2).parallelism(1))
        .isInstanceOf(IllegalStateException.class).hasMessage("parallelism was already set to 2");
    assertThatThrownBy(() -> Argon2idHasher.builder().pepper(PEPPER).pepper(PEPPER))
        .isInstanceOf(IllegalStateException.class).hasMessage("pepper was already set");
    // a refused value leaves the setting free, and what is not given keeps its default
    Argon2idHasher.Builder b = Argon2idHasher.builder();
    assertThatThrownBy(() -> b.iterations(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(b.iterations(5).build()).hasToString("Argon2idHasher[m=19456,t=5,p=1]");
  }

  @Test
  void thePepperIsCopiedWhenGiven() {
    byte[] pepper = PEPPER.clone();
    Argon2idHasher.Builder b = cheap().pepper(pepper);
    java.util.Arrays.fill(pepper, (byte) 0); // the caller wipes its copy, as the javadoc asks
    Argon2idHasher h = b.build();
    assertThat(h.verify(cheap().pepper(PEPPER).build().hash(secret()), secret())).isTrue();
  }

  @Test
  void hashingLeavesTheCallersSecretAlone() {
    for (Argon2idHasher h : new Argon2idHasher[] {cheap().build(), cheap().pepper(PEPPER).build()}) {
      byte[] s = secret();
      String hash = h.hash(s);
      assertThat(s).as(h.toString()).isEqualTo(secret());
      assertThat(h.verify(hash, s)).isTrue();
      assertThat(s).as(h.toString()).isEqualTo(secret());
    }
  }

  @Test
  void hashesItCannotReadNeverVerifyAndAlwaysNeedARehash() {
    Argon2idHasher h = cheap().build();
    for (String broken : new String[] {"$argon2id$garbage", "$argon2id$"}) {
      assertThat(h.supports(broken)).isTrue();
      assertThat(h.verify(broken, secret())).as(broken).isFalse();
      assertThat(h.needsRehash(broken)).as(broken).isTrue();
    }
    assertThat(h.verify("$argon2id$v=19$m=1024,t=1,p=1$!!$!!", secret())).as("a corrupt salt").isFalse();
    assertThat(h.supports("$argon2i$v=19$m=1024,t=1,p=1$AAAA$AAAA")).isFalse();
    assertThat(h.needsRehash("$hmac-sha256$k=k1$AAAA")).isTrue();
    assertThat(h.needsRehash(h.hash(secret()))).isFalse();
  }
}
