package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Page cursors: the order they define, the text they travel as, and the text they refuse (always
 * an IllegalArgumentException that does not repeat the text); and pages built from what a store
 * read.
 */
class PageCursorTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123456Z");

  private static ApiKey key(String id, Instant createdAt) {
    return ApiKey.builder().id(id).name("n").hint("h").secretHash("$x$").createdAt(createdAt).build();
  }

  private static String base64(ByteBuffer b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  private static ByteBuffer bytes(int version, long second, int nano, String id) {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(13 + idBytes.length).put((byte) version).putLong(second).putInt(nano).put(idBytes);
  }

  /** The same bytes spelled another way: the unused low bits of the last character set. */
  private static String strayBits(String text) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = text.charAt(text.length() - 1);
    assertThat(alphabet.indexOf(last) & 1).as("an unused bit").isZero();
    return text.substring(0, text.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1);
  }

  @Test
  void aKeyFollowsAPositionWhenCreatedLaterOrAtTheSameInstantWithAGreaterId() {
    PageCursor at = new PageCursor(T0, "kkkkkkkkkkkk");
    assertThat(at.precedes(key("aaaaaaaaaaaa", T0.plusNanos(1)))).as("later, smaller id").isTrue();
    assertThat(at.precedes(key("zzzzzzzzzzzz", T0.minusNanos(1)))).as("earlier, greater id").isFalse();
    assertThat(at.precedes(key("kkkkkkkkkkkl", T0))).as("same instant, greater id").isTrue();
    assertThat(at.precedes(key("kkkkkkkkkkkk", T0))).as("the position itself").isFalse();
    assertThat(at.precedes(key("kkkkkkkkkkkj", T0))).as("same instant, smaller id").isFalse();
    assertThat(PageCursor.of(key("kkkkkkkkkkkk", T0))).isEqualTo(at);
  }

  @Test
  void positionsAreOrderedByInstantThenId() {
    PageCursor at = new PageCursor(T0, "k");
    assertThat(at.compareTo(new PageCursor(T0, "k"))).isZero();
    assertThat(at.compareTo(new PageCursor(T0, "l"))).isNegative();
    assertThat(at.compareTo(new PageCursor(T0, "j"))).isPositive();
    assertThat(at.compareTo(new PageCursor(T0.plusNanos(1), "a"))).isNegative();
    assertThat(at.compareTo(new PageCursor(T0.minusNanos(1), "z"))).isPositive();
  }

  @Test
  void aCursorTravelsAsUrlSafeTextAndComesBackExactly() {
    List<PageCursor> cursors = List.of(
        new PageCursor(T0, "aZ09aZ09aZ09"),
        new PageCursor(Instant.EPOCH, "a"),
        new PageCursor(Instant.MIN, "x".repeat(PageCursor.MAX_ID_LENGTH)),
        new PageCursor(Instant.MAX, "\u4e2d".repeat(PageCursor.MAX_ID_LENGTH)),
        new PageCursor(Instant.parse("1969-12-31T23:59:59.999999999Z"), "?&/+= "));
    for (PageCursor c : cursors) {
      String text = c.encode();
      assertThat(text).matches("[A-Za-z0-9_-]+").hasSizeLessThanOrEqualTo(PageCursor.MAX_ENCODED_LENGTH);
      assertThat(PageCursor.decode(text)).isEqualTo(c);
    }
    assertThat(new PageCursor(T0, "aZ09aZ09aZ09").encode()).isEqualTo(base64(bytes(1, T0.getEpochSecond(), 123_456_000, "aZ09aZ09aZ09")));
    String longest = new PageCursor(Instant.MAX, "\u4e2d".repeat(PageCursor.MAX_ID_LENGTH)).encode();
    assertThat(longest).hasSize(PageCursor.MAX_ENCODED_LENGTH);
  }

  @Test
  void anIdIsOneTo255Characters() {
    assertThat(new PageCursor(T0, "x".repeat(255)).id()).hasSize(255);
    assertThatThrownBy(() -> new PageCursor(T0, "")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must have 1 to 255 characters, got 0");
    assertThatThrownBy(() -> new PageCursor(T0, "x".repeat(256))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must have 1 to 255 characters, got 256");
    assertThatThrownBy(() -> new PageCursor(null, "x")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new PageCursor(T0, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> PageCursor.decode(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void textThatEncodeDidNotWriteIsRefusedWithoutBeingRepeated() {
    String good = new PageCursor(T0, "aaaaaaaaaaaa").encode();
    List<String> refused = new ArrayList<>(List.of(
        "",
        "!!!!",
        good + "=",
        good + "+",
        good.substring(0, good.length() - 1),
        strayBits(good),
        "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB", // base64 of A * 24: version 65
        base64(bytes(2, T0.getEpochSecond(), 0, "aaaaaaaaaaaa")), // another version
        base64(bytes(1, T0.getEpochSecond(), 0, "")), // no id
        base64(bytes(1, T0.getEpochSecond(), 1_000_000_000, "a")), // a nano of second overflowing
        base64(bytes(1, T0.getEpochSecond(), -1, "a")), // a negative nano
        base64(bytes(1, Long.MAX_VALUE, 0, "a")), // beyond Instant.MAX
        base64(bytes(1, Instant.MIN.getEpochSecond() - 1, 0, "a")), // before Instant.MIN
        base64(bytes(1, 0, 0, "x".repeat(256))), // an id too long
        base64(ByteBuffer.allocate(16).put((byte) 1).putLong(0).putInt(0).put((byte) 0xC3).put((byte) 0x28)
            .put((byte) 0x61)), // not UTF-8
        base64(ByteBuffer.allocate(12).put((byte) 1).putLong(0).put((byte) 0).put((byte) 0).put((byte) 0)))); // short
    for (String text : refused) {
      assertThatThrownBy(() -> PageCursor.decode(text)).as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not a cursor that a listing returned");
    }
    String tooLong = "A".repeat(PageCursor.MAX_ENCODED_LENGTH + 1);
    assertThatThrownBy(() -> PageCursor.decode(tooLong)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("too long for a cursor (1039 characters, at most 1038)");
    // the longest text allowed is read (and refused for what it holds, not for its length)
    assertThatThrownBy(() -> PageCursor.decode("A".repeat(PageCursor.MAX_ENCODED_LENGTH)))
        .hasMessage("not a cursor that a listing returned");
  }

  @Test
  void aPageFromWhatAStoreReadKeepsTheLimitAndPointsAfterItsLastKey() {
    ApiKey a = key("aaaaaaaaaaaa", T0);
    ApiKey b = key("bbbbbbbbbbbb", T0);
    ApiKey c = key("cccccccccccc", T0.plusSeconds(1));
    Page<ApiKey> more = Page.of(List.of(a, b, c), 2);
    assertThat(more.items()).containsExactly(a, b);
    assertThat(more.nextCursor()).isEqualTo(new PageCursor(T0, "bbbbbbbbbbbb"));
    assertThat(more.hasMore()).isTrue();
    Page<ApiKey> exact = Page.of(List.of(a, b), 2);
    assertThat(exact.items()).containsExactly(a, b);
    assertThat(exact.nextCursor()).isNull();
    assertThat(exact.hasMore()).isFalse();
    assertThat(Page.of(List.of(), 1).items()).isEmpty();
    assertThat(Page.of(List.of(a, b), 1).nextCursor()).isEqualTo(PageCursor.of(a));
    assertThatThrownBy(() -> Page.of(List.of(a, b, c), 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("read 3 keys for a page of 1");
  }
}
