package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/** Finding keys in text: real ones by their checksum, look-alikes by their shape. */
class KeyScannerTest {
  private static final KeyFormat LIVE = KeyFormat.withPrefix("kg_live");
  private static final KeyScanner ANY = KeyScanner.anyPrefix();

  @Test
  void aKeyAnywhereInTheTextIsFoundWithItsPrefixIdAndPlace() {
    ParsedKey key = LIVE.generate();
    String text = "GET /v1 X-API-Key: " + key.plaintext() + "\r\n";
    List<KeyScanner.Match> found = ANY.findAll(text);
    assertThat(found).hasSize(1);
    KeyScanner.Match m = found.get(0);
    assertThat(text.substring(m.start(), m.end())).isEqualTo(key.plaintext());
    assertThat(m.prefix()).isEqualTo("kg_live");
    assertThat(m.keyId()).isEqualTo(key.id());
    assertThat(m.checksumValid()).isTrue();
    assertThat(m.hint()).isEqualTo(LIVE.hint(key.id()));
    assertThat(m.toString()).doesNotContain(key.plaintext().substring(20));
    assertThat(ANY.mask(text)).isEqualTo("GET /v1 X-API-Key: " + LIVE.hint(key.id()) + "\r\n");
  }

  @Test
  void everyPrefixShapeIsFoundAndAKeyGluedToTheTextBeforeItToo() {
    for (String prefix : List.of("a", "kg", "kg_test", "sk_live_v2", "x".repeat(32), "0a_1b")) {
      ParsedKey key = KeyFormat.withPrefix(prefix).generate();
      for (String before : List.of("", " ", "token=", "xyz", "abc_", "\"")) {
        String text = before + key.plaintext() + ".";
        List<KeyScanner.Match> found = ANY.findAll(text);
        assertThat(found).as(prefix + " after '" + before + "'").singleElement()
            .satisfies(m -> assertThat(text.substring(m.start(), m.end())).isEqualTo(key.plaintext()));
      }
    }
  }

  @Test
  void aLookAlikeIsReportedAsOneAndMaskedAllTheSame() {
    String key = LIVE.generate().plaintext();
    char last = key.charAt(key.length() - 1);
    String typo = key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
    List<KeyScanner.Match> found = ANY.findAll("key " + typo);
    assertThat(found).singleElement().satisfies(m -> {
      assertThat(m.checksumValid()).isFalse();
      assertThat(m.prefix()).isEqualTo("kg_live");
    });
    assertThat(ANY.containsKey("key " + typo)).isFalse();
    assertThat(ANY.mask("key " + typo)).isEqualTo("key " + found.get(0).hint());
  }

  @Test
  void aRealKeyFollowedByMoreCharactersIsFoundButALongerLookAlikeIsNot() {
    String key = LIVE.generate().plaintext();
    assertThat(ANY.findAll(key + "ABC")).singleElement().satisfies(m -> assertThat(m.checksumValid()).isTrue());
    String lookAlike = "kg_live_" + "A".repeat(50);
    assertThat(ANY.findAll(lookAlike)).hasSize(1);
    assertThat(ANY.findAll(lookAlike + "B")).isEmpty();
    assertThat(ANY.findAll("kg_live_" + "A".repeat(49))).isEmpty();
  }

  @Test
  void twoKeysSideBySideAreBothFound() {
    String a = LIVE.generate().plaintext();
    String b = KeyFormat.withPrefix("kg_test").generate().plaintext();
    assertThat(ANY.findAll(a + b)).extracting(KeyScanner.Match::checksumValid).containsExactly(true, true);
    assertThat(ANY.findAll(a + "," + b)).extracting(KeyScanner.Match::prefix).containsExactly("kg_live", "kg_test");
  }

  @Test
  void aScannerForItsOwnPrefixesFindsOnlyThose() {
    KeyScanner own = KeyScanner.forPrefixes(List.of("kg_live"));
    String live = LIVE.generate().plaintext();
    String other = KeyFormat.withPrefix("ot_live").generate().plaintext();
    assertThat(own.findAll(other + " " + live)).singleElement().satisfies(m -> assertThat(m.prefix()).isEqualTo("kg_live"));
    assertThat(own.findAll("xkg_live_" + live.substring(8))).singleElement()
        .satisfies(m -> assertThat(m.checksumValid()).isTrue());
  }

  @Test
  void cleanTextComesBackAsItIsWithTheSharedEmptyList() {
    String text = "snake_case_names and_a_base62_run_" + "A".repeat(49) + " __ _" + "x".repeat(60);
    assertThat(ANY.findAll(text)).isSameAs(List.of());
    assertThat(ANY.mask(text)).isEqualTo(text);
    assertThat(ANY.findAll("")).isEmpty();
  }

  @Test
  void theChecksumIsCrc32() {
    String text = "kg_live_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.US_ASCII));
    assertThat(KeyScanner.crc(text, 0, text.length())).isEqualTo(crc.getValue());
  }
}
