package dev.keygate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * The client address of a request as the engine sees it, trusted proxies honoured ({@link
 * AuthenticationEngine#clientAddress}).
 *
 * @param text the address as text: the peer address as the server gave it, a forwarded address
 *     normalised, or {@code unknown} for {@link #UNKNOWN}
 * @param bytes its 4 or 16 bytes, or null when it is not known as an IP address
 */
public record ClientAddress(String text, byte @Nullable [] bytes) {
  /**
   * A client behind a trusted proxy whose address could not be read: no allowlist contains it,
   * and all such clients share one failure-throttle bucket.
   */
  public static final ClientAddress UNKNOWN = new ClientAddress("unknown", null);

  static ClientAddress of(byte[] bytes) {
    try {
      return new ClientAddress(InetAddress.getByAddress(bytes).getHostAddress(), bytes);
    } catch (UnknownHostException impossible) {
      throw new IllegalStateException(impossible); // only thrown for a wrong length
    }
  }

  /**
   * The key to limit this client by: the address, or its /64 network for IPv6 (one subscriber
   * usually holds a whole /64, so per-address buckets would not slow anybody down). The
   * engine's failure throttle uses it; use it with {@link RateLimiter} for limits of your own.
   *
   * @return the key to limit this client by
   */
  public String throttleKey() {
    if (bytes == null || bytes.length != 16) {
      return text;
    }
    StringBuilder sb = new StringBuilder(24);
    for (int i = 0; i < 8; i += 2) {
      sb.append(Integer.toHexString(((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF))).append(':');
    }
    return sb.append(":/64").toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
