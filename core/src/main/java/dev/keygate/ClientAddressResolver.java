package dev.keygate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Finds the client address of a request. {@code Forwarded} (RFC 7239) and {@code X-Forwarded-For}
 * are honoured only when the TCP peer is a trusted proxy; then the chain is walked right to left,
 * skipping trusted proxies, and the first untrusted address is the client (Tomcat's RemoteIpFilter
 * model: the left-most entry is whatever the client wrote, so it is never trusted blindly). An
 * entry that is not an IP literal stops the walk at the last trusted hop. Thread-safe.
 */
public final class ClientAddressResolver {
  private static final int MAX_HOPS = 32;
  private static final int MAX_HEADER = 4096;

  private final List<IpRange> trustedProxies;

  private ClientAddressResolver(List<IpRange> trustedProxies) {
    this.trustedProxies = List.copyOf(trustedProxies);
  }

  /**
   * A resolver trusting the given proxies.
   *
   * @param proxies addresses or CIDR ranges of trusted reverse proxies; empty trusts none
   * @throws IllegalArgumentException if an entry is not an address or CIDR range
   */
  public static ClientAddressResolver trusting(List<String> proxies) {
    List<IpRange> ranges = new ArrayList<>();
    for (String p : proxies) {
      IpRange r = IpRange.parse(p.strip());
      if (r == null) {
        throw new IllegalArgumentException("trusted proxy must be an IP address or CIDR range: '" + p + "'");
      }
      ranges.add(r);
    }
    return new ClientAddressResolver(ranges);
  }

  /** The client address of {@code request}. */
  public ClientAddress resolve(AuthenticationRequest request) {
    byte[] peer = IpRange.parseAddress(request.peerAddress());
    if (peer == null) {
      return new ClientAddress(request.peerAddress(), null);
    }
    ClientAddress current = ClientAddress.of(peer);
    if (!isTrusted(peer)) {
      return current;
    }
    List<String> hops = request.forwarded().isEmpty()
        ? splitXForwardedFor(request.xForwardedFor())
        : forwardedFor(request.forwarded());
    for (int i = hops.size() - 1; i >= 0; i--) {
      byte[] hop = IpRange.parseAddress(stripPort(hops.get(i)));
      if (hop == null) {
        return current;
      }
      current = ClientAddress.of(hop);
      if (!isTrusted(hop)) {
        return current;
      }
    }
    return current;
  }

  /**
   * Whether the request reached the first proxy over HTTPS: the connection is secure, or the peer
   * is a trusted proxy that says {@code proto=https} ({@code Forwarded}) or {@code https} ({@code
   * X-Forwarded-Proto}).
   */
  public boolean isSecure(AuthenticationRequest request) {
    if (request.secure()) {
      return true;
    }
    byte[] peer = IpRange.parseAddress(request.peerAddress());
    if (peer == null || !isTrusted(peer)) {
      return false;
    }
    String proto = null;
    for (String value : request.forwarded()) {
      for (String element : value.split(",", MAX_HOPS)) {
        String p = parameter(element, "proto");
        if (p != null) {
          proto = p;
        }
      }
    }
    if (proto == null) {
      List<String> protos = splitXForwardedFor(request.xForwardedProto());
      proto = protos.isEmpty() ? null : protos.get(0);
    }
    return proto != null && proto.equalsIgnoreCase("https");
  }

  private boolean isTrusted(byte[] address) {
    for (IpRange r : trustedProxies) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static List<String> splitXForwardedFor(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      if (v.length() > MAX_HEADER) {
        return List.of();
      }
      for (String part : v.split(",", MAX_HOPS + 1)) {
        out.add(part.strip());
      }
    }
    return out.size() > MAX_HOPS ? out.subList(out.size() - MAX_HOPS, out.size()) : out;
  }

  private static List<String> forwardedFor(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values) {
      if (v.length() > MAX_HEADER) {
        return List.of();
      }
      for (String element : v.split(",", MAX_HOPS + 1)) {
        String f = parameter(element, "for");
        out.add(f == null ? "" : f);
      }
    }
    return out.size() > MAX_HOPS ? out.subList(out.size() - MAX_HOPS, out.size()) : out;
  }

  /** The value of {@code name} in one {@code Forwarded} element ({@code for=...;proto=...}). */
  private static @Nullable String parameter(String element, String name) {
    for (String pair : element.split(";", 16)) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals(name)) {
        String value = pair.substring(eq + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return null;
  }

  /** {@code [v6]:port} to {@code v6}, {@code v4:port} to {@code v4}; other text unchanged. */
  private static String stripPort(String hop) {
    if (hop.startsWith("[")) {
      int close = hop.indexOf(']');
      return close > 0 ? hop.substring(1, close) : hop;
    }
    int colon = hop.indexOf(':');
    if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
      return hop.substring(0, colon);
    }
    return hop;
  }

  @Override
  public String toString() {
    return "ClientAddressResolver[trusted=" + trustedProxies + "]";
  }

  /**
   * A resolved client address.
   *
   * @param text the address as text (normalised when it parsed)
   * @param bytes its 4 or 16 bytes, or null when the peer address was not an IP literal
   */
  public record ClientAddress(String text, byte @Nullable [] bytes) {
    static ClientAddress of(byte[] bytes) {
      try {
        return new ClientAddress(InetAddress.getByAddress(bytes).getHostAddress(), bytes);
      } catch (UnknownHostException impossible) {
        throw new IllegalStateException(impossible); // only thrown for a wrong length
      }
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
