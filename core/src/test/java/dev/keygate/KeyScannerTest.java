package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Finding keys in text: real ones by their checksum, look-alikes by their shape. */
class KeyScannerTest {
  private static final KeyFormat LIVE = KeyFormat.withPrefix("kg_live");
  private static final KeyScanner ANY = KeyScanner.anyPrefix();
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String ID = "AbCdEf012345";
  private static final String SECRET = "s3cr3tS3CR3Ts3cr3tS3CR3Ts3cr3tXY";

  @Test
  void aKeyAnywhereInTheTextIsFoundWithItsPrefixIdAndPlace() {
    ParsedKey key = LIVE.generate();
    String text = "GET /v1 X-API-Key: " + key.plaintext() + "\r\n";
    List<KeyScanner.Match> found = ANY.findAll(text);
    assertThat(found).hasSize(1);
    KeyScanner.Match m = found.get(0);
    assertThat(m.start()).isEqualTo(19);
    assertThat(m.end()).isEqualTo(19 + key.plaintext().length());
    assertThat(m.prefix()).isEqualTo("kg_live");
    assertThat(m.keyId()).isEqualTo(key.id());
    assertThat(m.checksumValid()).isTrue();
    assertThat(m.hint()).isEqualTo(LIVE.hint(key.id()));
    assertThat(ANY.mask(text)).isEqualTo("GET /v1 X-API-Key: " + LIVE.hint(key.id()) + "\r\n");
  }

  @Test
  void everyPrefixShapeIsFoundAndAKeyGluedToTheTextBeforeItToo() {
    for (String prefix : List.of("a", "7", "kg", "kg_test", "sk_live_v2", "x".repeat(32), "0a_1b", "a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p")) {
      ParsedKey key = KeyFormat.withPrefix(prefix).generate();
      for (String before : List.of("", " ", "token=", "xyz", "abc_", "\"", "__", "é", "Key:")) {
        String text = before + key.plaintext() + ".";
        assertThat(ANY.findAll(text)).as(prefix + " after '" + before + "'").singleElement().satisfies(m -> {
          assertThat(m.start()).isEqualTo(before.length());
          assertThat(text.substring(m.start(), m.end())).isEqualTo(key.plaintext());
          assertThat(m.prefix()).isEqualTo(prefix);
          assertThat(m.checksumValid()).isTrue();
        });
      }
    }
  }

  @Test
  void hundredsOfGeneratedKeysAreAllRealAndFoundWhereTheyAre() {
    Random random = new Random(18);
    List<String> prefixes = List.of("kg_live", "kg_test", "avl", "ak_avalon", "avala_sk", "z9");
    StringBuilder text = new StringBuilder();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      String key = KeyFormat.withPrefix(prefixes.get(random.nextInt(prefixes.size()))).generate().plaintext();
      keys.add(key);
      text.append(List.of(" ", "\n", "\"", "=", ",", "; Bearer ", "&key=").get(random.nextInt(7))).append(key);
    }
    List<KeyScanner.Match> found = ANY.findAll(text);
    assertThat(found).hasSize(400).allSatisfy(m -> assertThat(m.checksumValid()).isTrue());
    for (int i = 0; i < 400; i++) {
      KeyScanner.Match m = found.get(i);
      assertThat(text.substring(m.start(), m.end())).isEqualTo(keys.get(i));
    }
  }

  @Test
  void aPrefixOf32CharactersIsFoundButNotOneOf33() {
    String p32 = "a1_b2_c3_d4_e5_f6_g7_h8_i9_j0_kk";
    assertThat(p32).hasSize(32);
    String key32 = forge(p32, ID + SECRET);
    assertThat(KeyFormat.withPrefix(p32).parse(key32)).isNotNull();
    assertThat(ANY.findAll(key32)).singleElement().satisfies(m -> {
      assertThat(m.prefix()).isEqualTo(p32);
      assertThat(m.start()).isZero();
      assertThat(m.checksumValid()).isTrue();
    });
    // the checksum of a 33-character prefix: no start the scanner may try makes it valid
    String key33 = forge("z" + p32, ID + SECRET);
    assertThat(ANY.findAll(key33)).singleElement().satisfies(m -> {
      assertThat(m.prefix()).isEqualTo(p32);
      assertThat(m.start()).isEqualTo(1);
      assertThat(m.checksumValid()).isFalse();
    });
  }

  @Test
  void doubledLeadingAndTrailingUnderscoresAreNoPartOfAPrefix() {
    String body = ID + SECRET + "000000";
    assertThat(ANY.findAll("kg_live__" + body)).as("trailing").isEmpty();
    assertThat(ANY.findAll("kg__live_" + body)).as("doubled").singleElement()
        .satisfies(m -> assertThat(m.prefix()).isEqualTo("live"));
    assertThat(ANY.findAll("x=_live_" + body)).as("leading").singleElement()
        .satisfies(m -> assertThat(m.prefix()).isEqualTo("live"));
    assertThat(ANY.findAll("_" + body)).as("no prefix at all").isEmpty();
    assertThat(ANY.findAll(" _" + body)).isEmpty();
    // a real checksum over a doubled underscore is still no key
    assertThat(ANY.findAll(forge("kg__live", ID + SECRET))).singleElement().satisfies(m -> {
      assertThat(m.prefix()).isEqualTo("live");
      assertThat(m.checksumValid()).isFalse();
    });
    assertThat(ANY.findAll(forge("kg_live_", ID + SECRET))).isEmpty();
  }

  @Test
  void onlyLowercaseLettersDigitsAndUnderscoresMakeAPrefix() {
    String body = "A".repeat(50);
    // each just outside a range of prefix characters, and two outside ASCII
    for (String c : List.of("`", "{", "/", ":", "^", "@", "[", "A", "Z", "~", "-", "é", "\u0130")) {
      assertThat(ANY.findAll(c + "_" + body)).as("'%s' before the '_'", c).isEmpty();
      assertThat(ANY.findAll("x" + c + "kg_live_" + body)).as("'%s' before the prefix", c).singleElement().satisfies(m -> {
        assertThat(m.prefix()).isEqualTo("kg_live");
        assertThat(m.start()).isEqualTo(1 + c.length());
      });
    }
    for (String c : List.of("a", "z", "0", "9")) {
      assertThat(ANY.findAll(c + "_" + body)).as(c).singleElement().satisfies(m -> assertThat(m.prefix()).isEqualTo(c));
    }
  }

  @Test
  void aDashForTheUnderscoreIsNoKey() {
    String key = LIVE.generate().plaintext();
    assertThat(ANY.findAll("kg_live-" + key.substring(8))).isEmpty();
    assertThat(ANY.findAll("kg-" + "A".repeat(50))).isEmpty();
    assertThat(ANY.findAll("kg-" + "A".repeat(50) + " ")).isEmpty();
  }

  @Test
  void aKeyAloneIsFoundFromItsFirstToItsLastCharacter() {
    for (String prefix : List.of("a", "kg_live", "x".repeat(32))) {
      String key = KeyFormat.withPrefix(prefix).generate().plaintext();
      assertThat(ANY.findAll(key)).singleElement().satisfies(m -> {
        assertThat(m.start()).isZero();
        assertThat(m.end()).isEqualTo(key.length());
        assertThat(m.checksumValid()).isTrue();
      });
      assertThat(ANY.mask(key)).isEqualTo(KeyFormat.hint(prefix, key.substring(prefix.length() + 1, prefix.length() + 13)));
    }
  }

  @Test
  void aTypoInTheIdTheSecretOrTheChecksumMakesALookAlike() {
    String key = LIVE.generate().plaintext();
    for (int at : new int[] {8, 19, 8 + 12, 40, 8 + 44, key.length() - 1}) {
      String typo = key.substring(0, at) + (key.charAt(at) == 'a' ? 'b' : 'a') + key.substring(at + 1);
      String text = "key " + typo + " end";
      assertThat(ANY.findAll(text)).as("typo at " + at).singleElement().satisfies(m -> {
        assertThat(m.checksumValid()).isFalse();
        assertThat(m.prefix()).isEqualTo("kg_live");
        assertThat(m.keyId()).isEqualTo(typo.substring(8, 20));
        assertThat(m.start()).isEqualTo(4);
        assertThat(m.end()).isEqualTo(4 + key.length());
      });
      assertThat(ANY.containsKey(text)).isFalse();
      assertThat(ANY.mask(text)).isEqualTo("key " + KeyFormat.hint("kg_live", typo.substring(8, 20)) + " end");
    }
  }

  @Test
  void aChecksumBeyond32BitsIsNoCrc32EvenWhenItsLowBitsAre() {
    String key = LIVE.generate().plaintext();
    long crc = crc32(key.substring(0, key.length() - 6));
    String high = key.substring(0, key.length() - 6) + base62(crc + (1L << 32), 6);
    assertThat(ANY.findAll(high)).singleElement().satisfies(m -> assertThat(m.checksumValid()).isFalse());
    assertThat(LIVE.parse(high)).isNull();
  }

  @Test
  void aTruncatedKeyIsNothing() {
    String key = LIVE.generate().plaintext();
    String cut = key.substring(0, key.length() - 1);
    assertThat(ANY.findAll(cut)).isEmpty();
    assertThat(ANY.findAll(cut + " ")).isEmpty();
    assertThat(ANY.findAll("x " + cut)).isEmpty();
    assertThat(ANY.findAll("kg_live_")).isEmpty();
    assertThat(ANY.findAll("kg_live_" + "A".repeat(49))).isEmpty();
    assertThat(ANY.mask("x " + cut)).isEqualTo("x " + cut);
  }

  @Test
  void aRealKeyFollowedByMoreCharactersIsFoundButALongerLookAlikeIsNot() {
    String key = LIVE.generate().plaintext();
    for (String after : List.of("ABC", "_x", "z", "-", "")) {
      assertThat(ANY.findAll(key + after)).as(after).singleElement().satisfies(m -> {
        assertThat(m.checksumValid()).isTrue();
        assertThat(m.end()).isEqualTo(key.length());
      });
    }
    String lookAlike = "kg_live_" + "A".repeat(50);
    assertThat(ANY.findAll(lookAlike)).hasSize(1);
    assertThat(ANY.findAll(lookAlike + "-x")).hasSize(1);
    assertThat(ANY.findAll(lookAlike + ".")).hasSize(1);
    assertThat(ANY.findAll(lookAlike + "B")).isEmpty();
    assertThat(ANY.findAll(lookAlike + "_suffix")).as("'_' continues a word").isEmpty();
  }

  @Test
  void aKeyGluedToTheEndOfALongTokenIsStillFound() {
    String key = LIVE.generate().plaintext();
    // "a_" and 48 base62 characters, then the key: "a_…kg" looks like a body ending at the key's first '_'
    String text = "a_" + "Q".repeat(48) + key;
    assertThat(ANY.findAll(text)).singleElement().satisfies(m -> {
      assertThat(m.checksumValid()).isTrue();
      assertThat(m.start()).isEqualTo(50);
    });
    assertThat(ANY.findAll("a_" + "Q".repeat(49) + key)).singleElement()
        .satisfies(m -> assertThat(m.start()).isEqualTo(51));
  }

  @Test
  void whatFollowsAKeyStartsAfterIt() {
    String key;
    do {
      key = LIVE.generate().plaintext();
    } while (!Character.isLowerCase(key.charAt(key.length() - 1)));
    String lookAlike = "kg_test_" + "B".repeat(50);
    String text = key + lookAlike;
    assertThat(ANY.findAll(text)).extracting(KeyScanner.Match::start, KeyScanner.Match::prefix, KeyScanner.Match::checksumValid)
        .containsExactly(Tuple.tuple(0, "kg_live", true),
            Tuple.tuple(key.length(), "kg_test", false));
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
    assertThat(own.findAll(other)).isEmpty();
    assertThat(own.containsKey(other)).isFalse();
    assertThat(own.findAll("kg_live_" + "A".repeat(50))).singleElement()
        .satisfies(m -> assertThat(m.checksumValid()).isFalse());
  }

  @Test
  void aPrefixIsKnownOnlyWhole() {
    String live = LIVE.generate().plaintext();
    assertThat(KeyScanner.forPrefixes(List.of("kg")).findAll(live)).as("a shorter prefix").isEmpty();
    assertThat(KeyScanner.forPrefixes(List.of("kg_live_v2")).findAll(live)).as("a longer prefix").isEmpty();
    assertThat(KeyScanner.forPrefixes(List.of("kg_livf")).findAll(live)).as("one character off").isEmpty();
    // "live" is a prefix of its own: the text holds a look-alike of it, not one of its keys
    assertThat(KeyScanner.forPrefixes(List.of("live")).findAll(live)).singleElement().satisfies(m -> {
      assertThat(m.prefix()).isEqualTo("live");
      assertThat(m.start()).isEqualTo(3);
      assertThat(m.checksumValid()).isFalse();
    });
    KeyScanner both = KeyScanner.forPrefixes(List.of("live", "kg_live"));
    assertThat(both.findAll(live)).singleElement().satisfies(m -> {
      assertThat(m.prefix()).isEqualTo("kg_live");
      assertThat(m.checksumValid()).isTrue();
    });
  }

  @Test
  void forPrefixesChecksItsArguments() {
    assertThatThrownBy(() -> KeyScanner.forPrefixes(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at least one prefix is needed");
    for (String bad : List.of("", "KG", "kg_", "_kg", "kg__live", "kg-live", "x".repeat(33))) {
      assertThatThrownBy(() -> KeyScanner.forPrefixes(List.of("kg_live", bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + bad + "'");
    }
    assertThatThrownBy(() -> KeyScanner.forPrefixes(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("prefixes");
    assertThatThrownBy(() -> KeyScanner.forPrefixes(Arrays.asList("kg_live", null))).isInstanceOf(NullPointerException.class)
        .hasMessage("prefix");
    assertThat(KeyScanner.forPrefixes(List.of("x".repeat(32)))).isNotNull();
  }

  @Test
  void aScannerSaysWhatItLooksFor() {
    assertThat(ANY).hasToString("KeyScanner[any prefix]");
    assertThat(KeyScanner.forPrefixes(List.of("kg_test", "kg_live", "kg_test"))).hasToString("KeyScanner[kg_live, kg_test]");
  }

  @Test
  void aMatchShowsItsPlaceAndHintButNeverTheSecret() {
    String key = LIVE.generate().plaintext();
    String id = key.substring(8, 20);
    KeyScanner.Match real = ANY.findAll("  " + key).get(0);
    assertThat(real).hasToString("KeyScanner.Match[2.." + (2 + key.length()) + ", kg_live_" + id.substring(0, 6) + "…, key]");
    assertThat(real.toString()).doesNotContain(key.substring(20)).doesNotContain(id.substring(6));
    KeyScanner.Match lookAlike = ANY.findAll("kg_live_" + "A".repeat(50)).get(0);
    assertThat(lookAlike).hasToString("KeyScanner.Match[0..58, kg_live_AAAAAA…, look-alike]");
  }

  @Test
  void matchesAreEqualWhenEveryPartIs() {
    KeyScanner.Match m = new KeyScanner.Match(1, 59, "kg_live", ID, true);
    assertThat(m).isEqualTo(new KeyScanner.Match(1, 59, "kg_live", ID, true))
        .hasSameHashCodeAs(new KeyScanner.Match(1, 59, "kg_live", ID, true))
        .isEqualTo(m)
        .isNotEqualTo(new KeyScanner.Match(2, 59, "kg_live", ID, true))
        .isNotEqualTo(new KeyScanner.Match(1, 60, "kg_live", ID, true))
        .isNotEqualTo(new KeyScanner.Match(1, 59, "kg_test", ID, true))
        .isNotEqualTo(new KeyScanner.Match(1, 59, "kg_live", "AbCdEf012346", true))
        .isNotEqualTo(new KeyScanner.Match(1, 59, "kg_live", ID, false))
        .isNotEqualTo("kg_live_AbCdEf…")
        .isNotEqualTo(null);
  }

  @Test
  void maskReplacesEveryKeyAndLookAlikeByItsHint() {
    String a = LIVE.generate().plaintext();
    String b = KeyFormat.withPrefix("avala_sk").generate().plaintext();
    String typo = "kg_test_" + "C".repeat(50);
    String text = "{\"key\":\"" + a + "\"} " + typo + "\nX-API-Key: " + b + " snake_case_name " + "Z".repeat(60);
    String masked = ANY.mask(text);
    assertThat(masked).isEqualTo("{\"key\":\"" + KeyFormat.hint("kg_live", a.substring(8, 20)) + "\"} kg_test_CCCCCC…\nX-API-Key: "
        + KeyFormat.hint("avala_sk", b.substring(9, 21)) + " snake_case_name " + "Z".repeat(60));
    assertThat(ANY.findAll(masked)).isEmpty();
  }

  @Test
  void containsKeyIsTrueOnlyForARealKey() {
    String key = LIVE.generate().plaintext();
    String lookAlike = "kg_live_" + "D".repeat(50);
    assertThat(ANY.containsKey(key)).isTrue();
    assertThat(ANY.containsKey(lookAlike + " " + key)).isTrue();
    assertThat(ANY.containsKey(key + " " + lookAlike)).isTrue();
    assertThat(ANY.containsKey(lookAlike)).isFalse();
    assertThat(ANY.containsKey("")).isFalse();
    assertThat(ANY.containsKey("no keys here")).isFalse();
  }

  @Test
  void cleanTextComesBackAsItIsWithTheSharedEmptyList() {
    String text = "snake_case_names and_a_base62_run_" + "A".repeat(49) + " __ _" + "x".repeat(60);
    assertThat(ANY.findAll(text)).isSameAs(List.of());
    assertThat(ANY.mask(text)).isSameAs(text);
    assertThat(ANY.findAll("")).isEmpty();
  }

  @Test
  void cleanTextIsScannedWithoutAllocating() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    String line = "203.0.113.9 - - \"GET /api/v1/datasets?page=2&sort=created_at HTTP/1.1\" 200 snake_case_name x_"
        + "A".repeat(49) + " Bearer eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo\n";
    String text = line.repeat(10_000);
    ANY.findAll(text);
    long before = threads.getCurrentThreadAllocatedBytes();
    List<KeyScanner.Match> found = ANY.findAll(text);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(found).isSameAs(List.of());
    assertThat(allocated).as("bytes allocated while scanning %,d characters", text.length()).isLessThan(1_000);
  }

  @Test
  void hostileTextIsScannedToTheEndWithoutMissingAnything() {
    assertThat(ANY.findAll("a_".repeat(100_000))).isEmpty();
    assertThat(ANY.findAll("_".repeat(100_000))).isEmpty();
    assertThat(ANY.findAll("A".repeat(1_000_000))).isEmpty();
    assertThat(ANY.findAll(("a_" + "b".repeat(49)).repeat(10_000))).isEmpty();
    // a checksum below 2^32, so that every candidate is checked to the end
    String lookAlike = "x".repeat(40) + "_" + "E".repeat(44) + "1ABCDE" + " ";
    assertThat(ANY.findAll(lookAlike.repeat(5_000))).hasSize(5_000)
        .allSatisfy(m -> assertThat(m.prefix()).hasSize(32));
    String key = LIVE.generate().plaintext();
    assertThat(ANY.findAll(lookAlike.repeat(1_000) + key)).hasSize(1_001).last()
        .satisfies(m -> assertThat(m.checksumValid()).isTrue());
  }

  @Test
  void theChecksumIsCrc32RunBackwards() {
    for (String text : List.of("kg_live_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "a", "_", "zZ09")) {
      int after = ~(int) crc32(text);
      assertThat(KeyScanner.unCrc(after, text, 0, text.length())).as(text).isEqualTo(0xFFFFFFFF);
      assertThat(KeyScanner.unCrc(after ^ 1, text, 0, text.length())).isNotEqualTo(0xFFFFFFFF);
      assertThat(KeyScanner.unCrc(after, text, 0, 0)).isEqualTo(after);
    }
    // every byte value of the last character, so every entry of the table is undone
    for (char c = 0; c < 128; c++) {
      String text = "kg_" + c;
      assertThat(KeyScanner.unCrc(~(int) crc32(text), text, 0, text.length())).isEqualTo(0xFFFFFFFF);
    }
  }

  /** {@code prefix_idAndSecret} and its CRC32 checksum, whatever the prefix: what a generator would make. */
  private static String forge(String prefix, String idAndSecret) {
    String head = prefix + "_" + idAndSecret;
    return head + base62(crc32(head), 6);
  }

  private static long crc32(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.ISO_8859_1));
    return crc.getValue();
  }

  private static String base62(long value, int width) {
    char[] out = new char[width];
    long v = value;
    for (int i = width - 1; i >= 0; i--) {
      out[i] = ALPHABET.charAt((int) (v % 62));
      v /= 62;
    }
    return new String(out);
  }
}
