package dev.keygate.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keygate.KeyFormat;
import dev.keygate.KeyScanner;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fuzzes {@link KeyScanner} with arbitrary text. {@code mvn verify} replays the checked-in inputs
 * under {@code src/test/resources/dev/keygate/fuzz/KeyScannerFuzzTestInputs}; {@code JAZZER_FUZZ=1}
 * fuzzes (see SECURITY.md). Invariants: it never throws; every match has the key shape and is a
 * real key exactly when {@link KeyFormat#parse} accepts it; matches come in order without
 * overlapping; masked text holds no real key; and a key put anywhere into the text is found there.
 */
class KeyScannerFuzzTest {
  private static final Pattern SHAPE = Pattern.compile("([a-z0-9](?:_?[a-z0-9])*)_([0-9A-Za-z]{12})[0-9A-Za-z]{38}");
  private static final KeyScanner ANY = KeyScanner.anyPrefix();
  private static final Set<String> OWN_PREFIXES = Set.of("kg_live", "kg_test");
  private static final KeyScanner OWN = KeyScanner.forPrefixes(OWN_PREFIXES);
  private static final List<KeyFormat> FORMATS = List.of(KeyFormat.withPrefix("kg_live"), KeyFormat.withPrefix("kg_test"),
      KeyFormat.withPrefix("a"), KeyFormat.withPrefix("ak_avalon"), KeyFormat.withPrefix("x".repeat(32)));

  @FuzzTest(maxDuration = "30s")
  void findAll(FuzzedDataProvider data) {
    KeyFormat format = FORMATS.get(data.consumeInt(0, FORMATS.size() - 1));
    int where = data.consumeInt();
    String text = data.consumeRemainingAsString();

    checkMatches(ANY, text);
    List<KeyScanner.Match> own = checkMatches(OWN, text);
    assertThat(own).allSatisfy(m -> assertThat(OWN_PREFIXES).contains(m.prefix()));

    String key = format.generate().plaintext();
    int at = Math.floorMod(where, text.length() + 1);
    String withKey = text.substring(0, at) + key + text.substring(at);
    List<KeyScanner.Match> found = checkMatches(ANY, withKey);
    assertThat(found).as("the key put at %d", at).anySatisfy(m -> {
      assertThat(m.start()).isEqualTo(at);
      assertThat(m.end()).isEqualTo(at + key.length());
      assertThat(m.checksumValid()).isTrue();
    });
    assertThat(ANY.containsKey(withKey)).isTrue();
    assertThat(ANY.mask(withKey)).doesNotContain(key);
  }

  private static List<KeyScanner.Match> checkMatches(KeyScanner scanner, String text) {
    List<KeyScanner.Match> found = scanner.findAll(text);
    int previousEnd = 0;
    for (KeyScanner.Match m : found) {
      assertThat(m.start()).as("in order, not overlapping").isGreaterThanOrEqualTo(previousEnd);
      String candidate = text.substring(m.start(), m.end());
      var shape = SHAPE.matcher(candidate);
      assertThat(shape.matches()).as("key shape: %s", candidate).isTrue();
      assertThat(shape.group(1)).isEqualTo(m.prefix()).hasSizeLessThanOrEqualTo(KeyFormat.MAX_PREFIX_LENGTH);
      assertThat(shape.group(2)).isEqualTo(m.keyId());
      boolean parses = KeyFormat.withPrefix(m.prefix()).parse(candidate) != null;
      assertThat(m.checksumValid()).as("checksum of %s", m).isEqualTo(parses);
      assertThat(m.toString()).doesNotContain(candidate.substring(m.prefix().length() + 13));
      previousEnd = m.end();
    }
    assertThat(scanner.containsKey(scanner.mask(text))).as("masked text").isFalse();
    return found;
  }
}
