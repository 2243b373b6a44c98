package dev.keygate;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Finds the client address of a request, and whether it reached the first proxy over HTTPS.
 *
 * <p>Forwarding headers are believed only when the TCP peer is a trusted proxy, and only the one
 * header the proxies are configured to write ({@link ForwardingHeader}; a header of the other kind
 * may have been written by the client and passed through). The chain is walked right to left,
 * skipping trusted proxies; the first untrusted hop is the client (Tomcat's RemoteIpFilter model:
 * the left part is whatever the client wrote). The scheme is read from the same hop. A hop that
 * is not an IP literal ({@code unknown}, garbage, a chain that only holds trusted proxies beyond
 * what is kept) gives {@link ClientAddress#UNKNOWN}, which no allowlist contains: it fails closed
 * rather than falling back to the proxy's own address. Thread-safe.
 */
final class ClientAddressResolver {
  private static final int MAX_HOPS = 32;
  private static final int MAX_HEADER = 4096;

  private final List<IpRange> trustedProxies;
  private final ForwardingHeader header;

  private ClientAddressResolver(List<IpRange> trustedProxies, ForwardingHeader header) {
    this.trustedProxies = List.copyOf(trustedProxies);
    this.header = header;
  }

  /**
   * A resolver trusting the given proxies, which write {@code X-Forwarded-For}.
   *
   * @param proxies addresses or CIDR ranges of trusted reverse proxies; empty trusts none
   * @throws IllegalArgumentException if an entry is not an address or CIDR range
   */
  static ClientAddressResolver trusting(List<String> proxies) {
    return trusting(proxies, ForwardingHeader.X_FORWARDED_FOR);
  }

  /**
   * A resolver trusting the given proxies, which write {@code header}.
   *
   * @throws IllegalArgumentException if an entry is not an address or CIDR range
   */
  static ClientAddressResolver trusting(List<String> proxies, ForwardingHeader header) {
    List<IpRange> ranges = new ArrayList<>();
    for (String p : proxies) {
      IpRange r = IpRange.parse(p.strip());
      if (r == null) {
        throw new IllegalArgumentException("trusted proxy must be an IP address or CIDR range: '" + p + "'");
      }
      ranges.add(r);
    }
    return new ClientAddressResolver(ranges, Objects.requireNonNull(header, "header"));
  }

  /** The client address of {@code request}. */
  ClientAddress resolve(AuthenticationRequest request) {
    return walk(request).client();
  }

  /**
   * Whether the request reached the first proxy over HTTPS: the connection is secure, or the peer
   * is a trusted proxy whose forwarding header says {@code https} for the client's hop.
   */
  boolean isSecure(AuthenticationRequest request) {
    return request.secure() || walk(request).https();
  }

  private record Hop(String address, @Nullable String proto) {}

  /**
   * What one walk of the forwarding chain found: the client and the scheme its hop reported. The
   * engine walks a request once and asks both questions of the result.
   */
  record Walk(ClientAddress client, @Nullable String proto) {
    /** Whether the client's hop reported {@code https} (a secure connection is not looked at). */
    boolean https() {
      return proto != null && proto.equalsIgnoreCase("https");
    }
  }

  /** Walks the forwarding chain of {@code request}; package-private for the engine's {@link Caller}. */
  Walk walk(AuthenticationRequest request) {
    byte[] peer = IpRange.parseAddress(request.peerAddress());
    if (peer == null) {
      return new Walk(new ClientAddress(request.peerAddress(), null), null);
    }
    if (!isTrusted(peer)) {
      // the server's own text for its peer: formatting the bytes again would cost more than the rest
      return new Walk(new ClientAddress(request.peerAddress(), peer), null);
    }
    ClientAddress current = ClientAddress.of(peer);
    List<Hop> hops = header == ForwardingHeader.FORWARDED
        ? forwardedHops(request.forwarded())
        : xForwardedHops(request.xForwardedFor(), request.xForwardedProto());
    if (hops.isEmpty()) {
      // the proxy named no client: the connection came from the proxy itself
      return new Walk(current, header == ForwardingHeader.X_FORWARDED_FOR ? last(request.xForwardedProto()) : null);
    }
    for (int i = hops.size() - 1; ; i--) {
      Hop hop = hops.get(i);
      byte[] address = IpRange.parseAddress(stripPort(hop.address()));
      if (address == null) {
        return new Walk(ClientAddress.UNKNOWN, null);
      }
      if (!isTrusted(address) || (i == 0 && hops.size() < MAX_HOPS)) {
        return new Walk(ClientAddress.of(address), hop.proto());
      }
      if (i == 0) {
        return new Walk(ClientAddress.UNKNOWN, null); // only trusted proxies in what we may read
      }
    }
  }

  private boolean isTrusted(byte[] address) {
    for (IpRange r : trustedProxies) {
      if (r.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The hops of {@code X-Forwarded-For}, with the scheme when {@code X-Forwarded-Proto} lines up. */
  private static List<Hop> xForwardedHops(List<String> forValues, List<String> protoValues) {
    List<String> addresses = lastItems(forValues);
    List<String> protos = lastItems(protoValues);
    List<Hop> hops = new ArrayList<>(addresses.size());
    for (int i = 0; i < addresses.size(); i++) {
      String proto = null;
      if (protos.size() == addresses.size()) {
        proto = protos.get(i); // one scheme per hop, appended alongside the addresses
      } else if (i == addresses.size() - 1 && !protos.isEmpty()) {
        proto = protos.get(protos.size() - 1); // set by the proxy in front of us, about its client
      }
      hops.add(new Hop(addresses.get(i), proto));
    }
    return hops;
  }

  /** The hops of {@code Forwarded}: each element's {@code for} and {@code proto}. */
  private static List<Hop> forwardedHops(List<String> values) {
    List<Hop> hops = new ArrayList<>();
    for (String element : lastItems(values)) {
      String f = parameter(element, "for");
      hops.add(new Hop(f == null ? "" : f, parameter(element, "proto")));
    }
    return hops;
  }

  /**
   * The comma-separated items of the header lines, in order, keeping only the last {@value
   * #MAX_HOPS} and reading only the last {@value #MAX_HEADER} characters: padding the client-written
   * (left) part cannot push the proxies' (right) entries out.
   */
  private static List<String> lastItems(List<String> values) {
    String joined = String.join(",", values);
    if (joined.length() > MAX_HEADER) {
      joined = joined.substring(joined.length() - MAX_HEADER);
      int comma = joined.indexOf(',');
      // accepted mutant (keep a window without a comma as one item): see core/src/test/pit/accepted-survivors.txt;
      // not equivalent: it decides what a single over-long item resolves to
      joined = comma < 0 ? "" : joined.substring(comma + 1); // drop the cut item
    }
    List<String> items = new ArrayList<>();
    for (String item : joined.split(",", -1)) {
      items.add(item.strip());
    }
    if (items.size() == 1 && items.get(0).isEmpty()) {
      return List.of();
    }
    // equivalent mutant (>=): the last 32 of 32 items are all of them
    return items.size() > MAX_HOPS ? items.subList(items.size() - MAX_HOPS, items.size()) : items;
  }

  private static @Nullable String last(List<String> values) {
    List<String> items = lastItems(values);
    return items.isEmpty() ? null : items.get(items.size() - 1);
  }

  /** The value of {@code name} in one {@code Forwarded} element ({@code for=...;proto=...}). */
  private static @Nullable String parameter(String element, String name) {
    for (String pair : element.split(";", 16)) {
      int eq = pair.indexOf('=');
      // equivalent mutant (>=): a pair starting with "=" has an empty name, which is no name
      if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals(name)) {
        String value = pair.substring(eq + 1).strip();
        // equivalent mutant (> 2): a quoted empty value is no address and no "https" either way
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    // equivalent mutant (return ""): an empty for= is no address and an empty proto is not "https"
    return null;
  }

  /** {@code [v6]:port} to {@code v6}, {@code v4:port} to {@code v4}; other text unchanged. */
  private static String stripPort(String hop) {
    if (hop.startsWith("[")) {
      int close = hop.indexOf(']');
      // equivalent mutant (>=): the hop starts with '[', so ']' is never at 0
      return close > 0 ? hop.substring(1, close) : hop;
    }
    int colon = hop.indexOf(':');
    // equivalent mutants (>= twice): a hop starting with its only ':' is no address either way, and a search
    // from colon + 1 never finds index 0
    if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
      return hop.substring(0, colon);
    }
    return hop;
  }

  @Override
  public String toString() {
    return "ClientAddressResolver[trusted=" + trustedProxies + ", header=" + header + "]";
  }
}
