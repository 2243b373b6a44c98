package dev.keygate;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A position in the listing order of {@link ApiKeyStore#list}: the {@code createdAt} and {@code id}
 * of a key. A page read {@linkplain KeyQuery#after() after} a cursor starts with the first key
 * that comes later in that order: a later {@code createdAt}, or the same one and a greater {@code
 * id}. A cursor is only a position: keys created or deleted around it during a walk shift no
 * later page, and it can be used with any filters.
 *
 * <p>{@link #encode()} gives an opaque, URL-safe text for APIs (base64url without padding); {@link
 * #decode} reads only what {@code encode} writes.
 *
 * @param createdAt the creation instant of the key the position is at, exactly as the store
 *     returned it (a JDBC store keeps microseconds)
 * @param id the id of that key, 1 to {@value #MAX_ID_LENGTH} characters
 */
public record PageCursor(Instant createdAt, String id) implements Comparable<PageCursor> {
  /** The longest id a cursor holds: more than any store keeps (the JDBC stores keep 64). */
  public static final int MAX_ID_LENGTH = 255;

  /** Version, epoch second, nano of second. */
  private static final int HEADER_BYTES = 1 + Long.BYTES + Integer.BYTES;

  /** The longest text {@link #decode} reads: the longest id, of 3-byte characters, encoded. */
  static final int MAX_ENCODED_LENGTH = ((HEADER_BYTES + 3 * MAX_ID_LENGTH) * 4 + 2) / 3;

  private static final byte VERSION = 1;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /**
   * Checks the parts.
   *
   * @param createdAt the creation instant of the key the position is at
   * @param id the id of that key, 1 to {@value #MAX_ID_LENGTH} characters
   * @throws NullPointerException if either is null
   * @throws IllegalArgumentException if the id is empty or longer than {@value #MAX_ID_LENGTH}
   */
  public PageCursor {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(id, "id");
    if (id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException(
          "id must have 1 to " + MAX_ID_LENGTH + " characters, got " + id.length());
    }
  }

  /**
   * The position of a key: a page read after it starts with the key that follows it.
   *
   * @param key a key as the store returned it
   * @return the key's position
   * @throws IllegalArgumentException if the key's id is longer than {@value #MAX_ID_LENGTH}
   */
  public static PageCursor of(ApiKey key) {
    return new PageCursor(key.createdAt(), key.id());
  }

  /**
   * Whether a key comes after this position in the listing order.
   *
   * @param key a key
   * @return true if the key was created later, or at the same instant with a greater id
   */
  public boolean precedes(ApiKey key) {
    int c = key.createdAt().compareTo(createdAt);
    return c > 0 || (c == 0 && key.id().compareTo(id) > 0);
  }

  /**
   * The listing order: {@code createdAt}, then {@code id}.
   *
   * @param other another position
   * @return negative, zero or positive as this position comes before, at or after the other
   */
  @Override
  public int compareTo(PageCursor other) {
    int c = createdAt.compareTo(other.createdAt);
    return c != 0 ? c : id.compareTo(other.id);
  }

  /**
   * The cursor as opaque, URL-safe text (base64url, no padding), at most a few hundred
   * characters; {@link #decode} reads it back.
   *
   * @return the cursor as text
   */
  public String encode() {
    byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + idBytes.length);
    b.put(VERSION).putLong(createdAt.getEpochSecond()).putInt(createdAt.getNano()).put(idBytes);
    return ENCODER.encodeToString(b.array());
  }

  /**
   * Reads a cursor written by {@link #encode()}. Strict: any other text is refused, including one
   * that decodes to the same bytes by another spelling.
   *
   * @param text the cursor text
   * @return the position it names
   * @throws NullPointerException if text is null
   * @throws IllegalArgumentException if the text is not a cursor {@link #encode()} writes; the
   *     message never repeats the text
   */
  public static PageCursor decode(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() > MAX_ENCODED_LENGTH) {
      throw new IllegalArgumentException(
          "too long for a cursor (" + text.length() + " characters, at most " + MAX_ENCODED_LENGTH + ")");
    }
    PageCursor cursor;
    try {
      ByteBuffer b = ByteBuffer.wrap(DECODER.decode(text));
      b.get(); // the version: another than VERSION fails the comparison with encode() below
      Instant createdAt = Instant.ofEpochSecond(b.getLong(), b.getInt());
      String id = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(b)
          .toString();
      cursor = new PageCursor(createdAt, id);
    } catch (IllegalArgumentException | BufferUnderflowException | DateTimeException
        | CharacterCodingException e) {
      throw malformed();
    }
    if (!cursor.encode().equals(text)) { // another version or spelling: padding, stray bits, nanos
      throw malformed();
    }
    return cursor;
  }

  private static IllegalArgumentException malformed() {
    return new IllegalArgumentException("not a cursor that a listing returned");
  }
}
