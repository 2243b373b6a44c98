package dev.keygate.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TextCodecTest {
  @Test
  void emptyCollectionsAreEmptyJson() {
    assertThat(TextCodec.encodeList(List.of())).isEqualTo("[]");
    assertThat(TextCodec.encodeMap(Map.of())).isEqualTo("{}");
    assertThat(TextCodec.decodeList("[]")).isEmpty();
    assertThat(TextCodec.decodeMap("{}")).isEmpty();
  }

  @Test
  void specialCharactersAreEscapedAsJsonDoes() {
    assertThat(TextCodec.encodeList(List.of("a\"b\\c\n\u0000\u2028")))
        .isEqualTo("[\"a\\\"b\\\\c\\n\\u0000\\u2028\"]");
    assertThat(TextCodec.encodeMap(Map.of("k", "v"))).isEqualTo("{\"k\":\"v\"}");
  }

  @Test
  void pairedSurrogatesStayAsTheyAreAndLoneOnesAreEscaped() {
    assertThat(TextCodec.encodeList(List.of("\ud83d\udd11"))).isEqualTo("[\"\ud83d\udd11\"]");
    assertThat(TextCodec.encodeList(List.of("x\ud800y\udc00"))).isEqualTo("[\"x\\ud800y\\udc00\"]");
    // a lone high surrogate last, a lone low one first, a high one before a plain character
    assertThat(TextCodec.encodeList(List.of("a\ud800"))).isEqualTo("[\"a\\ud800\"]");
    assertThat(TextCodec.encodeList(List.of("\udc00a"))).isEqualTo("[\"\\udc00a\"]");
    assertThat(TextCodec.encodeList(List.of("a\udc00"))).isEqualTo("[\"a\\udc00\"]");
    assertThat(TextCodec.encodeList(List.of("\ud800a"))).isEqualTo("[\"\\ud800a\"]");
  }

  @Test
  void everyCharRoundTrips() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < Character.MAX_VALUE; c++) {
      all.append(c);
    }
    String s = all.toString();
    assertThat(TextCodec.decodeList(TextCodec.encodeList(List.of(s, "", s)))).containsExactly(s, "", s);
    assertThat(TextCodec.decodeMap(TextCodec.encodeMap(Map.of(s, s)))).containsEntry(s, s);
  }

  @Test
  void randomStringsRoundTrip() {
    Random random = new Random(7);
    for (int i = 0; i < 2000; i++) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int j = random.nextInt(4); j > 0; j--) {
        m.put(randomString(random), randomString(random));
      }
      assertThat(TextCodec.decodeMap(TextCodec.encodeMap(m))).isEqualTo(m);
      List<String> l = m.keySet().stream().toList();
      assertThat(TextCodec.decodeList(TextCodec.encodeList(l))).isEqualTo(l);
    }
  }

  @Test
  void whitespaceAndOtherJsonEscapesWrittenByToolsAreAccepted() {
    assertThat(TextCodec.decodeList(" [ \"a\" ,\n\"\\/\\b\\f\\u00e9\" ] ")).containsExactly("a", "/\b\fé");
    assertThat(TextCodec.decodeMap("{ \"k\" : \"v\" }")).containsEntry("k", "v");
  }

  @Test
  void malformedTextIsRefusedWithoutQuotingIt() {
    for (String bad : List.of("", "[", "[\"a\"", "[\"a\",]", "[1]", "{\"a\"}", "{\"a\":1}",
        "[\"\\x\"]", "[\"\\u12\"]", "[\"a\"] x", "{\"a\":\"1\",\"a\":\"2\"}", "null")) {
      assertThatThrownBy(() -> {
        if (bad.startsWith("{")) {
          TextCodec.decodeMap(bad);
        } else {
          TextCodec.decodeList(bad);
        }
      }).as(bad).isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage())
              .matches("(expected '.' at|unexpected text at|short \\\\u escape at|bad \\\\u escape at"
                  + "|bad escape at|repeated name at) offset \\d+|unterminated (string|escape)"));
    }
  }

  @Test
  void textThatEndsTooSoonIsRefusedWithWhatIsMissingAndWhere() {
    // what a CorruptRowException then says about a hand-edited column: the fault, never the text
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("[\"abc", "unterminated string");
    expected.put("[\"a\\", "unterminated escape");
    expected.put("[\"\\u12", "short \\u escape at offset 4");
    expected.put("[\"\\u0041", "unterminated string");
    expected.put("[\"\\u00g1\"]", "bad \\u escape at offset 7");
    expected.put("[\"a\",", "expected '\"' at offset 5");
    expected.forEach((text, message) ->
        assertThatThrownBy(() -> TextCodec.decodeList(text)).as(text)
            .isInstanceOf(IllegalArgumentException.class).hasMessage(message));
  }

  private static String randomString(Random random) {
    char[] cs = new char[random.nextInt(12)];
    for (int i = 0; i < cs.length; i++) {
      cs[i] = switch (random.nextInt(4)) {
        case 0 -> (char) random.nextInt(0x80);
        case 1 -> "\"\\{}[],:".charAt(random.nextInt(8));
        case 2 -> (char) (0xd800 + random.nextInt(0x800));
        default -> (char) random.nextInt(0x10000);
      };
    }
    return new String(cs);
  }
}
