package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * Keys an attacker builds by hand, with a checksum that matches whatever they wrote: the checksum
 * is public arithmetic, so the prefix, the separator and the alphabet must each be checked on
 * their own.
 */
class CraftedKeysTest {
  private final KeyFormat test = KeyFormat.withPrefix("kg_test");

  /** {@code text} (without checksum) followed by its valid checksum. */
  private static String withChecksum(String text) {
    byte[] bytes = new byte[text.length() + KeyFormat.CHECKSUM_LENGTH];
    System.arraycopy(text.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, 0, text.length());
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, text.length());
    Base62.encodeFixed(crc.getValue(), bytes, text.length(), KeyFormat.CHECKSUM_LENGTH);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private String body() {
    String k = test.generate().plaintext();
    return k.substring("kg_test_".length(), k.length() - KeyFormat.CHECKSUM_LENGTH);
  }

  @Test
  void theChecksumHelperMakesKeysTheFormatAccepts() {
    assertThat(test.parse(withChecksum("kg_test_" + body()))).isNotNull();
  }

  @Test
  void aKeyOfAnotherPrefixOfTheSameLengthIsRefused() {
    String live = KeyFormat.withPrefix("kg_live").generate().plaintext();
    assertThat(test.parse(live)).isNull();
    assertThat(test.parse(withChecksum("kg_tesx_" + body()))).isNull();
  }

  @Test
  void anotherSeparatorIsRefused() {
    for (char sep : new char[] {'-', '.', 'x', '0'}) {
      assertThat(test.parse(withChecksum("kg_test" + sep + body()))).as("separator %s", sep).isNull();
    }
  }

  @Test
  void charactersJustOutsideTheAlphabetAreRefused() {
    for (char c : new char[] {'/', ':', '@', '[', '`', '{', '-', '_', '~', '\u00e9'}) {
      String b = body();
      String crafted = withChecksum("kg_test_" + b.substring(0, 20) + c + b.substring(21));
      assertThat(crafted).hasSize(test.keyLength());
      assertThat(test.parse(crafted)).as("character %s", c).isNull();
    }
  }

  @Test
  void theFormatReportsItsShape() {
    assertThat(test.prefix()).isEqualTo("kg_test");
    assertThat(test.keyLength()).isEqualTo(58);
    assertThat(test.toString()).isEqualTo("KeyFormat[kg_test_…]");
    assertThatThrownBy(() -> test.generate("short")).isInstanceOf(IllegalArgumentException.class);
    assertThat(test.hint("abcdefghijkl")).isEqualTo("kg_test_abcdef…");
  }

  @Test
  void aGeneratedAndAParsedKeyHaveOneDigest() {
    ParsedKey generated = test.generate();
    ParsedKey parsed = test.parse(generated.plaintext());
    assertThat(generated.digest()).isEqualTo(parsed.digest());
    assertThat(parsed).isEqualTo(generated).hasSameHashCodeAs(generated);
    assertThat(parsed).isNotEqualTo(test.generate()).isNotEqualTo(generated.plaintext());
    assertThat(parsed.masked()).isEqualTo(parsed.plaintext().substring(0, 20) + "…");
  }

  @Test
  void digestsAreEqualOnlyForEqualKeys() {
    // two inputs whose digests share a hash code: the first pair a search over "key-0", "key-1", ...
    // finds (137,000 SHA-256 runs, done once rather than in every run of the test and of each
    // mutant PIT tries); only the full 256-bit value decides equality, so no key can hit another
    // key's cache entry
    String a = "key-131629";
    String b = "key-136927";
    assertThat(KeyDigest.of(a).hashCode()).isEqualTo(KeyDigest.of(b).hashCode());
    assertThat(KeyDigest.of(a)).isNotEqualTo(KeyDigest.of(b));
    assertThat(KeyDigest.of(a)).isEqualTo(KeyDigest.of(a.getBytes(StandardCharsets.US_ASCII))).isNotEqualTo(a);
    assertThat(KeyDigest.of(a).toString()).matches("KeyDigest\\[[0-9a-f]{1,16}…\\]");
    String longer = "x".repeat(300);
    assertThat(KeyDigest.of(longer)).as("longer than the scratch buffer")
        .isEqualTo(KeyDigest.of(longer.getBytes(StandardCharsets.US_ASCII)));
    assertThat(KeyDigest.of("ab" + longer, 2, 300)).isEqualTo(KeyDigest.of(longer));
  }
}
