package dev.keygate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 address or CIDR range ({@code 203.0.113.7}, {@code 10.0.0.0/8}, {@code ::1},
 * {@code 2001:db8::/32}). Parsing accepts literals only and never resolves host names. IPv4-mapped
 * IPv6 addresses ({@code ::ffff:203.0.113.7}) count as their IPv4 address. Immutable.
 */
final class IpRange {
  private static final int MAX_TEXT = 64;

  private final byte[] network;
  private final int prefixLength;
  private final String text;

  private IpRange(byte[] network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  /**
   * Parses an address or CIDR range.
   *
   * @return the range, or null when {@code text} is not an IP literal or a valid CIDR
   */
  static @Nullable IpRange parse(@Nullable String text) {
    // equivalent mutants (no isEmpty or length test, or >=): parseAddress refuses "" and any text
    // this long (no valid range exceeds 51 characters); these tests only fail fast
    if (text == null || text.isEmpty() || text.length() > MAX_TEXT) {
      return null;
    }
    int slash = text.indexOf('/');
    // equivalent mutant (<=): with the slash first, "" and "/..." are both no address
    String addressPart = slash < 0 ? text : text.substring(0, slash);
    byte[] address = parseAddress(addressPart);
    if (address == null) {
      return null;
    }
    int bits = address.length * 8;
    int prefix = bits;
    // equivalent mutant (>): a slash at 0 left no address, so never gets here
    if (slash >= 0) {
      String p = text.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      prefix = Integer.parseInt(p);
      if (prefix > bits) {
        return null;
      }
    }
    return new IpRange(mask(address, prefix), prefix, text);
  }

  /**
   * Parses an IP literal into its 4 or 16 bytes (IPv4-mapped IPv6 gives 4), or null when the text
   * is not an IP literal. Never performs a DNS lookup.
   */
  static byte @Nullable [] parseAddress(@Nullable String text) {
    // equivalent mutant (no isEmpty test): parseIpv4("") is null too
    if (text == null || text.isEmpty() || text.length() > 45) {
      return null;
    }
    if (text.indexOf(':') < 0) {
      return parseIpv4(text);
    }
    String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    // equivalent mutant (no isEmpty test): t keeps text's ':', so it is never empty
    if (t.isEmpty() || Character.digit(t.charAt(0), 16) < 0 && t.charAt(0) != ':') {
      return null; // InetAddress treats anything else as a host name and would look it up
    }
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
      if (!ok) {
        return null; // also rejects zone ids ("%eth0") and anything a resolver would look up
      }
    }
    try {
      return InetAddress.getByName(t).getAddress(); // a literal of hex digits and colons: no DNS
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static byte @Nullable [] parseIpv4(String text) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        // equivalent mutants (>= or no digits test): while digits is 0, value is -1
        if (digits > 0 && value == 0) {
          return null; // no leading zeros: "010" is octal to some parsers
        }
        // equivalent mutant (<=): 0 * 10 is 0
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        // equivalent mutant (no digits test): without leading zeros a fourth digit makes value > 255
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static byte[] mask(byte[] address, int prefix) {
    byte[] out = address.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] &= (byte) (0xFF << (8 - keep));
    }
    return out;
  }

  /** Whether {@code address} (4 or 16 bytes) is in this range; other families never match. */
  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int m = 0xFF << (8 - rest) & 0xFF;
    return (address[fullBytes] & m) == (network[fullBytes] & 0xFF);
  }

  /** The text this range was parsed from. */
  @Override
  public String toString() {
    return text;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange r && r.prefixLength == prefixLength && Arrays.equals(r.network, network);
  }

  @Override
  public int hashCode() {
    return Objects.hash(prefixLength, Arrays.hashCode(network));
  }
}
