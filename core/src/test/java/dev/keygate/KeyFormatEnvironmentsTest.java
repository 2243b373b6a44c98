package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A key format with one prefix per environment: parsing, issuing and the rules of its making. */
class KeyFormatEnvironmentsTest {
  private final KeyFormat format = KeyFormat.withEnvironments(ordered("test", "kg_test", "live", "kg_live"));

  static Map<String, String> ordered(String... environmentThenPrefix) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < environmentThenPrefix.length; i += 2) {
      m.put(environmentThenPrefix[i], environmentThenPrefix[i + 1]);
    }
    return m;
  }

  /** {@code text} (without checksum) followed by its valid checksum. */
  static String withChecksum(String text) {
    byte[] bytes = new byte[text.length() + KeyFormat.CHECKSUM_LENGTH];
    System.arraycopy(text.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, 0, text.length());
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, text.length());
    Base62.encodeFixed(crc.getValue(), bytes, text.length(), KeyFormat.CHECKSUM_LENGTH);
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  /** The same id and secret under {@code prefix}, with the checksum an attacker can compute. */
  static String underPrefix(String key, String fromPrefix, String toPrefix) {
    String body = key.substring(fromPrefix.length() + 1, key.length() - KeyFormat.CHECKSUM_LENGTH);
    return withChecksum(toPrefix + "_" + body);
  }

  @Test
  void eachEnvironmentIssuesKeysOfItsPrefixAndTheFormatTellsTheirEnvironment() {
    for (String[] pair : new String[][] {{"test", "kg_test"}, {"live", "kg_live"}}) {
      KeyFormat issuing = format.forEnvironment(pair[0]);
      ParsedKey generated = issuing.generate();
      assertThat(generated.plaintext()).startsWith(pair[1] + "_").hasSize(pair[1].length() + 51);
      assertThat(generated.environment()).isEqualTo(pair[0]);
      assertThat(issuing.hint(generated.id())).isEqualTo(pair[1] + "_" + generated.id().substring(0, 6) + "…");
      ParsedKey parsed = format.parse(generated.plaintext());
      assertThat(parsed).isNotNull();
      assertThat(parsed.prefix()).isEqualTo(pair[1]);
      assertThat(parsed.environment()).isEqualTo(pair[0]);
      assertThat(parsed.id()).isEqualTo(generated.id());
      ParsedKey rotated = issuing.generate(generated.id());
      assertThat(rotated.plaintext()).startsWith(pair[1] + "_" + generated.id());
      assertThat(rotated.environment()).isEqualTo(pair[0]);
    }
  }

  @Test
  void prefixesOfDifferentLengthsAreToldApartByTheKeysLength() {
    KeyFormat mixed = KeyFormat.withEnvironments(ordered("development", "kg", "production", "kg_live", "staging", "kg_l"));
    for (String env : mixed.environments()) {
      String key = mixed.forEnvironment(env).generate().plaintext();
      assertThat(mixed.parse(key).environment()).isEqualTo(env);
    }
    // "kg_live_…" read as a "kg" key would be too long; as a "kg_l" key, its fifth character is not '_'
    String live = mixed.forEnvironment("production").generate().plaintext();
    assertThat(mixed.parse(live.substring(0, live.length() - 1))).isNull();
    assertThat(mixed.parse(underPrefix(live, "kg_live", "kg_l"))).isNotNull(); // a real kg_l key shape
  }

  @Test
  void aKeyOfNoPrefixOfTheFormatOrWithABadChecksumIsNotParsed() {
    String test = format.forEnvironment("test").generate().plaintext();
    assertThat(format.parse(null)).isNull();
    assertThat(format.parse("")).isNull();
    assertThat(format.parse(underPrefix(test, "kg_test", "kg_stag"))).isNull();
    assertThat(format.parse(underPrefix(test, "kg_test", "kg_staging"))).isNull();
    String badChecksum = test.substring(0, test.length() - 1) + (test.endsWith("0") ? "1" : "0");
    assertThat(format.parse(badChecksum)).isNull();
    // a plain single-prefix key of the same prefix is a key of this format, in its environment
    assertThat(format.parse(KeyFormat.withPrefix("kg_live").generate().plaintext()).environment()).isEqualTo("live");
  }

  @Test
  void theFormatListsItsEnvironmentsAndPrefixesInOrder() {
    assertThat(format.environments()).containsExactly("test", "live");
    assertThat(format.prefixes()).containsExactly("kg_test", "kg_live");
    assertThat(format.environmentOf("kg_test")).isEqualTo("test");
    assertThat(format.environmentOf("kg_live")).isEqualTo("live");
    assertThat(format.environmentOf("kg_dev")).isNull();
    KeyFormat live = format.forEnvironment("live");
    assertThat(live.environments()).containsExactly("live");
    assertThat(live.prefixes()).containsExactly("kg_live");
    assertThat(live.prefix()).isEqualTo("kg_live");
    assertThat(live.keyLength()).isEqualTo(58);
    assertThat(live.environmentOf("kg_live")).isEqualTo("live");
    assertThat(live.environmentOf("kg_test")).isNull();
    assertThat(live.forEnvironment("live")).isSameAs(live);
    assertThat(format.toString()).isEqualTo("KeyFormat[test=kg_test_…, live=kg_live_…]");
    assertThat(live.toString()).isEqualTo("KeyFormat[live=kg_live_…]");
  }

  @Test
  void aSinglePrefixFormatBindsNoEnvironment() {
    KeyFormat plain = KeyFormat.withPrefix("kg_live");
    assertThat(plain.environments()).isEmpty();
    assertThat(plain.prefixes()).containsExactly("kg_live");
    assertThat(plain.environmentOf("kg_live")).isNull();
    assertThat(plain.environmentOf("kg_test")).isNull();
    assertThat(plain.generate().environment()).isNull();
    assertThat(plain.parse(plain.generate().plaintext()).environment()).isNull();
    assertThat(plain.toString()).isEqualTo("KeyFormat[kg_live_…]");
    assertThatThrownBy(() -> plain.forEnvironment("live")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment 'live' is not one of this key format's []");
  }

  @Test
  void anEnvironmentTheFormatLacksHasNoFormat() {
    assertThatThrownBy(() -> format.forEnvironment("staging")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment 'staging' is not one of this key format's [test, live]");
    assertThatThrownBy(() -> format.forEnvironment("live").forEnvironment("test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment 'test' is not one of this key format's [live]");
    assertThatThrownBy(() -> format.forEnvironment(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> format.environmentOf(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void whatNeedsOnePrefixIsRefusedOnAFormatOfSeveral() {
    String id = format.forEnvironment("test").generate().id();
    String advice = " needs a single prefix; this format has one per environment [test, live]: use forEnvironment(environment)";
    assertThatThrownBy(format::generate).isInstanceOf(IllegalStateException.class).hasMessage("generate()" + advice);
    assertThatThrownBy(() -> format.generate(id)).isInstanceOf(IllegalStateException.class)
        .hasMessage("generate(keyId)" + advice);
    assertThatThrownBy(() -> format.hint(id)).isInstanceOf(IllegalStateException.class).hasMessage("hint(keyId)" + advice);
    assertThatThrownBy(format::prefix).isInstanceOf(IllegalStateException.class).hasMessage("prefix()" + advice);
    assertThatThrownBy(format::keyLength).isInstanceOf(IllegalStateException.class).hasMessage("keyLength()" + advice);
  }

  @Test
  void oneEnvironmentIsAFormatToo() {
    KeyFormat one = KeyFormat.withEnvironments(Map.of("live", "kg_live"));
    assertThat(one.environments()).containsExactly("live");
    assertThat(one.parse(one.forEnvironment("live").generate().plaintext()).environment()).isEqualTo("live");
    assertThatThrownBy(one::generate).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void environmentsOfOneAndSixtyFourCharactersAreAccepted() {
    KeyFormat f = KeyFormat.withEnvironments(ordered("x", "a", "e".repeat(64), "b", "two words", "c"),
        new java.security.SecureRandom());
    assertThat(f.environments()).containsExactly("x", "e".repeat(64), "two words");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", " live", "live ", "li\nve", "li\u2028ve", "\ud800"})
  void anEnvironmentThatIsBlankPaddedOrNotPrintableIsRefused(String environment) {
    assertThatThrownBy(() -> KeyFormat.withEnvironments(Map.of(environment, "kg_x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("environment must be 1 to 64 printable characters without leading or trailing white space, got '"
            + environment + "'");
  }

  @Test
  void anEnvironmentOfSixtyFiveCharactersIsRefused() {
    assertThatThrownBy(() -> KeyFormat.withEnvironments(Map.of("e".repeat(65), "kg_x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got '" + "e".repeat(65) + "'");
  }

  @Test
  void aBadPrefixASharedPrefixOrNothingIsRefused() {
    assertThatThrownBy(() -> KeyFormat.withEnvironments(Map.of("live", "KG_LIVE")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 'KG_LIVE'");
    assertThatThrownBy(() -> KeyFormat.withEnvironments(ordered("test", "kg", "live", "kg")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prefix 'kg' is given for both environment 'test' and environment 'live'; each environment needs a "
            + "prefix of its own");
    assertThatThrownBy(() -> KeyFormat.withEnvironments(Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prefixByEnvironment: give at least one environment and its prefix");
    assertThatThrownBy(() -> KeyFormat.withEnvironments(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> KeyFormat.withEnvironments(Map.of("live", "kg"), null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> KeyFormat.withEnvironments(ordered(null, "kg"))).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> KeyFormat.withEnvironments(ordered("live", null))).isInstanceOf(NullPointerException.class);
  }

  @Test
  void theFormatsListsCannotBeChanged() {
    assertThatThrownBy(() -> format.environments().add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> format.prefixes().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }
}
