package dev.keygate.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.keygate.KeyFormat;
import dev.keygate.KeyScanner;
import dev.keygate.docs.scanning.LeakedKeyCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The published detection pattern (SECURITY.md, "Finding leaked keys") and the rule files under
 * {@code secret-scanning/}: one regex in all three, valid in Java and in Go's RE2, matching
 * generated keys in the places keys leak to and passing over near misses; the checksum rule then
 * tells real keys from look-alikes. The scanners themselves are not run.
 */
class SecretScanningRulesTest {
  private static final Path ROOT = Path.of(System.getProperty("keygate.root", ".."));
  private static final List<String> PREFIXES = List.of("kg_live", "kg_test", "avl", "ak_avalon", "avala_sk", "x".repeat(32), "a");
  private static final List<String> CONTEXTS = List.of(
      "%s",
      "X-API-Key: %s\r\n",
      "{\"api_key\":\"%s\",\"name\":\"ci\"}",
      "https://api.example.com/v1/items?api_key=%s&page=2",
      "KEYGATE_API_KEY=%s\n",
      "export KEYGATE_API_KEY='%s'",
      "curl -H 'X-API-Key: %s' https://api.example.com/v1/me");

  @Test
  void securityMdAndBothRuleFilesCarryTheSameRegex() throws IOException {
    String published = publishedRegex();
    assertThat(published).isEqualTo("([a-z0-9][a-z0-9_]{0,31}_[0-9A-Za-z]{50})(?:[^0-9A-Za-z_]|$)");
    assertThat(gitleaksRule()).containsEntry("regex", published);
    assertThat(truffleHogDetector().get("regex").get("key").asText()).isEqualTo(published);
  }

  @Test
  void theGitleaksRuleIsComplete() throws IOException {
    Map<String, String> rule = gitleaksRule();
    assertThat(rule).containsEntry("id", "\"keygate-api-key\"").containsEntry("description", "\"Keygate API key\"")
        .containsEntry("secretGroup", "1").containsEntry("entropy", "3.5").containsEntry("keywords", "[\"_\"]");
  }

  @Test
  void theTruffleHogDetectorIsComplete() throws IOException {
    JsonNode detector = truffleHogDetector();
    assertThat(detector.get("name").asText()).isEqualTo("KeygateApiKey");
    assertThat(detector.get("keywords")).hasSize(1);
    assertThat(detector.get("keywords").get(0).asText()).isEqualTo("_");
    assertThat(detector.get("entropy").asDouble()).isEqualTo(3.5);
    assertThat(detector.get("regex").size()).isEqualTo(1);
  }

  @Test
  void theRegexUsesNothingGoLacks() throws IOException {
    String regex = publishedRegex();
    for (String construct : List.of("(?=", "(?!", "(?<=", "(?<!", "(?>", "\\1", "\\2", "*+", "++", "?+", "}+", "\\p", "\\b", "\\Z")) {
      assertThat(regex).as("RE2 has no %s", construct).doesNotContain(construct);
    }
    assertThat(Pattern.compile(regex).matcher("").groupCount()).isEqualTo(1);
  }

  @Test
  void thePatternFindsGeneratedKeysOfEveryPrefixWhereKeysLeak() throws IOException {
    Pattern pattern = Pattern.compile(publishedRegex());
    for (String prefix : PREFIXES) {
      String key = KeyFormat.withPrefix(prefix).generate().plaintext();
      for (String context : CONTEXTS) {
        String text = String.format(context, key);
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", prefix, context).isTrue();
        assertThat(m.group(1)).isEqualTo(key);
        assertThat(LeakedKeyCheck.holdsKey(m.group(1))).isTrue();
        assertThat(m.find()).isFalse();
        assertThat(LeakedKeyCheck.scannerFindsKey(text)).isTrue();
      }
    }
  }

  @Test
  void aKeyGluedToTheWordBeforeItIsMatchedWithItAndFoundInside() throws IOException {
    Pattern pattern = Pattern.compile(publishedRegex());
    String key = KeyFormat.withPrefix("kg_live").generate().plaintext();
    for (String glued : List.of("token_", "x", "my_service_api_key_is_", "0")) {
      Matcher m = pattern.matcher("const " + glued + key + ";");
      assertThat(m.find()).as(glued).isTrue();
      assertThat(m.group(1)).endsWith(key).hasSizeLessThanOrEqualTo(32 + 51);
      assertThat(LeakedKeyCheck.holdsKey(m.group(1))).isTrue();
      assertThat(KeyScanner.anyPrefix().findAll(m.group(1))).singleElement()
          .satisfies(found -> assertThat(found.prefix()).isEqualTo("kg_live"));
    }
  }

  @Test
  void thePatternPassesOverNearMisses() throws IOException {
    Pattern pattern = Pattern.compile(publishedRegex());
    String key = KeyFormat.withPrefix("kg_live").generate().plaintext();
    String body = key.substring(8);
    List<String> nearMisses = List.of(
        "kg_live_" + body.substring(1),                          // 49-character body
        "kg_live_" + body + "Z",                                 // 51-character body
        "kg_live-" + body,                                       // '-' for the '_' before the body
        "KG_LIVE_" + body,                                       // uppercase prefix
        "kg_live_" + body.substring(0, 20) + "+" + body.substring(21),   // not base62: '+', '-', '/', '.', '%'
        "kg_live_" + body.substring(0, 30) + "-" + body.substring(31),
        "kg_live_" + body.substring(0, 44) + "/" + body.substring(45),
        "kg_live_" + body.substring(0, 1) + "." + body.substring(2),
        "kg_live_" + body.substring(0, 49) + "%",
        "kg_live_" + body + "_v2");                              // the body goes on as a word
    for (String nearMiss : nearMisses) {
      for (String context : CONTEXTS) {
        String text = String.format(context, nearMiss);
        assertThat(pattern.matcher(text).find()).as(text).isFalse();
        // the scanner checks the checksum: a real key followed by more characters is still one
        boolean keyThenMore = nearMiss.startsWith(key);
        assertThat(LeakedKeyCheck.scannerFindsKey(text)).as(text).isEqualTo(keyThenMore);
      }
    }
  }

  @Test
  void theChecksumRuleTellsKeysFromLookAlikesThePatternAlsoMatches() throws IOException {
    Pattern pattern = Pattern.compile(publishedRegex());
    for (String prefix : PREFIXES) {
      String key = KeyFormat.withPrefix(prefix).generate().plaintext();
      assertThat(LeakedKeyCheck.holdsKey(key)).as(key).isTrue();
      for (int at : new int[] {prefix.length() + 1, prefix.length() + 20, key.length() - 1}) {
        String lookAlike = key.substring(0, at) + (key.charAt(at) == 'q' ? 'r' : 'q') + key.substring(at + 1);
        String text = "X-API-Key: " + lookAlike + "\n";
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).isTrue();
        assertThat(m.group(1)).isEqualTo(lookAlike);
        assertThat(LeakedKeyCheck.holdsKey(lookAlike)).as(lookAlike).isFalse();
        assertThat(LeakedKeyCheck.scannerFindsKey(text)).isFalse();
        assertThat(KeyScanner.anyPrefix().findAll(text)).singleElement()
            .satisfies(found -> assertThat(found.checksumValid()).isFalse());
      }
    }
    assertThat(LeakedKeyCheck.holdsKey("kg_live_" + "A".repeat(50))).isFalse();
  }

  @Test
  void theNarrowedPatternOfTheCommentsFindsOnlyThosePrefixes() throws IOException {
    String fromGitleaks = between(comment(ROOT.resolve("secret-scanning/gitleaks.toml"), "regex = "), "'''", "'''");
    String fromTruffleHog = between(comment(ROOT.resolve("secret-scanning/trufflehog.yaml"), "key: "), "'", "'");
    Matcher inSecurityMd = Pattern.compile("`([^`]*kg_\\(\\?:[^`]*)`").matcher(Files.readString(ROOT.resolve("SECURITY.md")));
    assertThat(inSecurityMd.find()).as("the narrowed pattern in SECURITY.md").isTrue();
    String fromSecurityMd = inSecurityMd.group(1);
    assertThat(fromTruffleHog).isEqualTo(fromGitleaks).isEqualTo(fromSecurityMd)
        .isEqualTo("(kg_(?:live|test)_[0-9A-Za-z]{50})(?:[^0-9A-Za-z_]|$)");
    Pattern narrowed = Pattern.compile(fromGitleaks);
    for (String prefix : PREFIXES) {
      String key = KeyFormat.withPrefix(prefix).generate().plaintext();
      Matcher m = narrowed.matcher("X-API-Key: " + key + "\n");
      assertThat(m.find()).as(prefix).isEqualTo(prefix.startsWith("kg_"));
    }
  }

  /** The regex of SECURITY.md: the one ```regex block under "Finding leaked keys". */
  static String publishedRegex() throws IOException {
    String security = Files.readString(ROOT.resolve("SECURITY.md"));
    String section = security.substring(security.indexOf("## Finding leaked keys"));
    Matcher block = Pattern.compile("```regex\\n(.*)\\n```").matcher(section);
    assertThat(block.find()).as("a ```regex block in SECURITY.md's \"Finding leaked keys\"").isTrue();
    return block.group(1);
  }

  /** The one [[rules]] table of gitleaks.toml, read as TOML's flat key = value lines (values as written, literal strings unquoted). */
  static Map<String, String> gitleaksRule() throws IOException {
    Map<String, String> rule = new LinkedHashMap<>();
    int tables = 0;
    for (String line : Files.readAllLines(ROOT.resolve("secret-scanning/gitleaks.toml"))) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      if (l.equals("[[rules]]")) {
        tables++;
        continue;
      }
      Matcher kv = Pattern.compile("([A-Za-z]+) = (.+)").matcher(l);
      assertThat(kv.matches()).as("a TOML key = value line: %s", l).isTrue();
      String value = kv.group(2);
      if (value.startsWith("'''")) {
        assertThat(value).endsWith("'''");
        value = value.substring(3, value.length() - 3);
      }
      assertThat(rule.put(kv.group(1), value)).as("%s once", kv.group(1)).isNull();
    }
    assertThat(tables).isEqualTo(1);
    return rule;
  }

  static JsonNode truffleHogDetector() throws IOException {
    JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("secret-scanning/trufflehog.yaml").toFile());
    assertThat(config.get("detectors")).hasSize(1);
    return config.get("detectors").get(0);
  }

  private static String comment(Path file, String marker) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> l.startsWith("#") && l.contains(marker)).findFirst().orElseThrow();
  }

  private static String between(String line, String open, String close) {
    int from = line.indexOf(open) + open.length();
    return line.substring(from, line.indexOf(close, from));
  }
}
