package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The value types' own rules: rate-limit bounds, grace-period validity, query windows, JSON text. */
class ValueRulesTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aRateLimitAllowsAtLeastOneRequestPerSecondToDay() {
    assertThat(new RateLimit(1, Duration.ofSeconds(1)).requests()).isEqualTo(1);
    assertThat(new RateLimit(1, Duration.ofDays(1)).period()).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> new RateLimit(0, Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("rate limit requests must be at least 1, got 0");
    assertThatThrownBy(() -> new RateLimit(1, Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RateLimit(1, Duration.ofDays(1).plusMillis(1))).isInstanceOf(IllegalArgumentException.class);
    assertThat(RateLimit.perMinute(7)).isEqualTo(new RateLimit(7, Duration.ofMinutes(1)));
  }

  private static ApiKey.Builder key() {
    return ApiKey.builder().id("abcdefabcdef").name("n").hint("h").secretHash("$x$").createdAt(NOW);
  }

  @Test
  void aPreviousSecretIsValidOnlyWithBothItsHashAndItsEnd() {
    Instant end = NOW.plusSeconds(60);
    assertThat(key().previousSecretHash("$p$").previousSecretExpiresAt(end).build().previousSecretValidAt(NOW)).isTrue();
    assertThat(key().previousSecretHash("$p$").previousSecretExpiresAt(end).build().previousSecretValidAt(end)).isFalse();
    assertThat(key().previousSecretExpiresAt(end).build().previousSecretValidAt(NOW)).as("no hash").isFalse();
    assertThat(key().previousSecretHash("$p$").build().previousSecretValidAt(NOW)).as("no end").isFalse();
  }

  @Test
  void aUsageCountIsNeverNegative() {
    assertThat(key().usageCount(0).build().usageCount()).isZero();
    assertThatThrownBy(() -> key().usageCount(-1).build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aQueryWindowStartsAtTheFirstKeyAndHoldsOneToAThousand() {
    KeyQuery q = KeyQuery.all(NOW);
    assertThat(q.after()).isNull();
    assertThat(q.withLimit(1).limit()).isEqualTo(1);
    assertThat(q.withLimit(KeyQuery.MAX_LIMIT).limit()).isEqualTo(KeyQuery.MAX_LIMIT);
    PageCursor at = new PageCursor(NOW, "aaaaaaaaaaaa");
    assertThat(q.withAfter(at).withLimit(7)).isEqualTo(new KeyQuery(null, null, null, NOW, at, 7));
    assertThat(q.withAfter(at).withAfter(null).after()).isNull();
    assertThatThrownBy(() -> q.withLimit(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be in [1, 1000], got 0");
    assertThatThrownBy(() -> q.withLimit(1001)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be in [1, 1000], got 1001");
    assertThat(q.withAfter(at).withEnvironment("prod").withOwner("o").withStatus(KeyStatus.ACTIVE))
        .isEqualTo(new KeyQuery("o", KeyStatus.ACTIVE, "prod", NOW, at, KeyQuery.DEFAULT_LIMIT));
  }

  private static String json(String s) {
    StringBuilder sb = new StringBuilder();
    Json.appendString(sb, s);
    return sb.toString();
  }

  @Test
  void jsonStringsEscapeEverythingAStrictReaderRejects() {
    assertThat(json("plain")).isEqualTo("\"plain\"");
    assertThat(json("q\"b\\n\nr\rt\t")).isEqualTo("\"q\\\"b\\\\n\\nr\\rt\\t\"");
    assertThat(json("\u0000\u0001\u001f\u007f")).isEqualTo("\"\\u0000\\u0001\\u001f\\u007f\"");
    assertThat(json(" ~\u0080é")).isEqualTo("\" ~\u0080é\"");
    assertThat(json("\u2027\u2028\u2029\u202a")).isEqualTo("\"\u2027\\u2028\\u2029\u202a\"");
    assertThat(json("\ud83d\ude00")).as("a surrogate pair stays").isEqualTo("\"\ud83d\ude00\"");
    assertThat(json("a\ud83db")).as("a lone high surrogate").isEqualTo("\"a\\ud83db\"");
    assertThat(json("a\ude00b")).as("a lone low surrogate").isEqualTo("\"a\\ude00b\"");
    assertThat(json("\ud83d")).as("a high surrogate at the end").isEqualTo("\"\\ud83d\"");
    assertThat(json("\ud83d\ud83d\ude00")).isEqualTo("\"\\ud83d\ud83d\ude00\"");
  }
}
