package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class KeyFormatTest {
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  @ParameterizedTest
  @ValueSource(strings = {"avl", "ak_avalon", "avala_sk", "kg_live", "x"})
  void generatedKeysRoundTripForEveryPrefix(String prefix) {
    KeyFormat format = KeyFormat.withPrefix(prefix);
    for (int i = 0; i < 200; i++) {
      ParsedKey key = format.generate();
      String text = key.plaintext();
      assertThat(text).startsWith(prefix + "_").hasSize(prefix.length() + 1 + 50);
      ParsedKey parsed = format.parse(text);
      assertThat(parsed).isNotNull();
      assertThat(parsed.id()).isEqualTo(key.id()).hasSize(12);
      assertThat(parsed.prefix()).isEqualTo(prefix);
      assertThat(new String(parsed.secretBytes(), java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo(text.substring(prefix.length() + 13, prefix.length() + 45));
    }
  }

  @Test
  void everySingleCharacterChangeIsRejected() {
    KeyFormat format = KeyFormat.withPrefix("kg_live");
    String key = format.generate().plaintext();
    int rejected = 0;
    int tried = 0;
    for (int pos = 0; pos < key.length(); pos++) {
      for (char c : BASE62.toCharArray()) {
        if (c == key.charAt(pos)) {
          continue;
        }
        String changed = key.substring(0, pos) + c + key.substring(pos + 1);
        tried++;
        if (format.parse(changed) == null) {
          rejected++;
        }
      }
    }
    assertThat(rejected).isEqualTo(tried);
  }

  @Test
  void tenThousandGeneratedKeysAreDistinctInIdAndSecret() {
    KeyFormat format = KeyFormat.withPrefix("kg");
    Set<String> ids = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ParsedKey k = format.generate();
      ids.add(k.id());
      keys.add(k.plaintext());
    }
    assertThat(ids).hasSize(10_000);
    assertThat(keys).hasSize(10_000);
  }

  @Test
  void rejectsMalformedInputWithoutThrowing() {
    KeyFormat format = KeyFormat.withPrefix("kg_live");
    String good = format.generate().plaintext();
    assertThat(format.parse(null)).isNull();
    assertThat(format.parse("")).isNull();
    assertThat(format.parse(good.substring(1))).isNull();
    assertThat(format.parse(good + "a")).isNull();
    assertThat(format.parse("x".repeat(1_000_000))).isNull();
    assertThat(format.parse(good.replace("kg_live_", "kg_test_"))).isNull();
    assertThat(format.parse(good.replace("kg_live_", "KG_LIVE_"))).isNull();
    assertThat(format.parse(good.substring(0, 20) + "-" + good.substring(21))).isNull();
    assertThat(format.parse(good.substring(0, 20) + "é" + good.substring(21))).isNull();
    assertThat(format.parse(good.substring(0, 20) + "\0" + good.substring(21))).isNull();
    // Cyrillic "к" looks like the Latin prefix letter
    assertThat(format.parse("\u043a" + good.substring(1))).isNull();
    assertThat(KeyFormat.withPrefix("avl").parse(good)).isNull();
  }

  @Test
  void keyWithGivenIdKeepsIt() {
    KeyFormat format = KeyFormat.withPrefix("avl");
    ParsedKey k = format.generate("abcdefGHIJ12");
    assertThat(k.id()).isEqualTo("abcdefGHIJ12");
    assertThat(format.parse(k.plaintext())).isEqualTo(k);
  }

  @Test
  void maskedFormsNeverShowTheSecret() {
    KeyFormat format = KeyFormat.withPrefix("kg_live");
    ParsedKey k = format.generate();
    String secret = k.plaintext().substring(8 + 12, 8 + 44);
    assertThat(k.toString()).doesNotContain(secret).contains(k.id());
    assertThat(k.masked()).doesNotContain(secret).isEqualTo("kg_live_" + k.id() + "…");
    assertThat(format.hint(k.id())).isEqualTo("kg_live_" + k.id().substring(0, 6) + "…");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "_kg", "kg_", "k g", "kg-live", "é", "0123456789abcdef0123456789abcdef0"})
  void rejectsBadPrefixes(String prefix) {
    assertThatThrownBy(() -> KeyFormat.withPrefix(prefix)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void validKeyIds() {
    assertThat(KeyFormat.isValidKeyId("abcdefGHIJ12")).isTrue();
    assertThat(KeyFormat.isValidKeyId("abcdefGHIJ1")).isFalse();
    assertThat(KeyFormat.isValidKeyId("abcdefGHIJ1-")).isFalse();
    assertThat(KeyFormat.isValidKeyId(null)).isFalse();
  }
}
