package dev.keygate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What an adapter knows about a request, raw: the engine takes every decision. It holds all values
 * of the configured API-key headers, of {@code Authorization}, {@code Forwarded}, {@code
 * X-Forwarded-For} and {@code X-Forwarded-Proto}, the TCP peer address and whether the connection
 * is secure.
 *
 * <p>Made by {@link #of} from a server's header lookup, only the API-key headers are read at once;
 * the others and the peer address are read when the engine first needs them (a cached valid key
 * without an allowlist needs none of them), so use such a request only while the server's request
 * is live, on one thread. Made by {@link #from}, everything is given up front.
 */
public final class AuthenticationRequest {
  private final List<String> apiKeys;
  private final boolean secure;
  private final @Nullable Headers headers;
  private @Nullable Supplier<String> peer;
  private @Nullable String peerAddress;
  private @Nullable List<String> authorizations;
  private @Nullable List<String> forwarded;
  private @Nullable List<String> xForwardedFor;
  private @Nullable List<String> xForwardedProto;

  private AuthenticationRequest(List<String> apiKeys, boolean secure, @Nullable Headers headers,
      @Nullable Supplier<String> peer, @Nullable String peerAddress) {
    this.apiKeys = apiKeys;
    this.secure = secure;
    this.headers = headers;
    this.peer = peer;
    this.peerAddress = peerAddress;
  }

  /** Reads every value of one request header, in order received; empty when absent. */
  @FunctionalInterface
  public interface Headers {
    /**
     * The values of header {@code name} (matched case-insensitively by the server).
     *
     * @param name the header name, in any case
     * @return every value of that header, in order; empty when absent
     */
    Iterable<String> values(String name);
  }

  /**
   * The request an adapter hands to the engine, read from its server's headers.
   *
   * @param headers the server's header lookup
   * @param apiKeyHeaders the configured API-key header names ({@link AuthenticationEngine#apiKeyHeaders()})
   * @param peerAddress the TCP peer address
   * @param secure whether the connection is HTTPS
   * @return the request, holding only the headers the engine reads
   */
  public static AuthenticationRequest of(Headers headers, List<String> apiKeyHeaders,
      String peerAddress, boolean secure) {
    Objects.requireNonNull(peerAddress, "peerAddress");
    return of(headers, apiKeyHeaders, () -> peerAddress, secure);
  }

  /**
   * Like {@link #of(Headers, List, String, boolean)}, with the peer address read only when the
   * engine needs it (failures, allowlists, HTTPS through a proxy): for servers where reading it
   * costs something on every request.
   *
   * @param headers the server's header lookup
   * @param apiKeyHeaders the configured API-key header names
   * @param peerAddress gives the TCP peer address; it must not return null
   * @param secure whether the connection is HTTPS
   * @return the request, holding only the headers the engine reads
   */
  public static AuthenticationRequest of(Headers headers, List<String> apiKeyHeaders,
      Supplier<String> peerAddress, boolean secure) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(peerAddress, "peerAddress");
    List<String> keys = null;
    for (String name : apiKeyHeaders) {
      keys = addAll(keys, headers.values(name));
    }
    return new AuthenticationRequest(orEmpty(keys), secure, headers, peerAddress, null);
  }

  /**
   * A builder for a request from {@code peerAddress}, with every header given explicitly.
   *
   * @param peerAddress the TCP peer's address
   * @return a builder for a plain-HTTP request with no headers
   */
  public static Builder from(String peerAddress) {
    return new Builder(peerAddress);
  }

  /**
   * Values of the API-key header(s), in order received.
   *
   * @return the values of the API-key headers, in header order
   */
  public List<String> apiKeys() {
    return apiKeys;
  }

  /**
   * Values of {@code Authorization}.
   *
   * @return the {@code Authorization} header values
   */
  public List<String> authorizations() {
    if (authorizations == null) {
      authorizations = read("Authorization");
    }
    return authorizations;
  }

  /**
   * The TCP peer (remote address) as text.
   *
   * @return the TCP peer (remote address) as text
   */
  public String peerAddress() {
    if (peerAddress == null) {
      peerAddress = Objects.requireNonNull(Objects.requireNonNull(peer).get(), "peer address");
      peer = null;
    }
    return peerAddress;
  }

  /**
   * Whether the connection to this server is HTTPS.
   *
   * @return whether the connection to this server is HTTPS
   */
  public boolean secure() {
    return secure;
  }

  /**
   * Values of {@code Forwarded} (RFC 7239).
   *
   * @return the {@code Forwarded} header values
   */
  public List<String> forwarded() {
    if (forwarded == null) {
      forwarded = read("Forwarded");
    }
    return forwarded;
  }

  /**
   * Values of {@code X-Forwarded-For}.
   *
   * @return the {@code X-Forwarded-For} header values
   */
  public List<String> xForwardedFor() {
    if (xForwardedFor == null) {
      xForwardedFor = read("X-Forwarded-For");
    }
    return xForwardedFor;
  }

  /**
   * Values of {@code X-Forwarded-Proto}.
   *
   * @return the {@code X-Forwarded-Proto} header values
   */
  public List<String> xForwardedProto() {
    if (xForwardedProto == null) {
      xForwardedProto = read("X-Forwarded-Proto");
    }
    return xForwardedProto;
  }

  private List<String> read(String name) {
    return headers == null ? List.of() : orEmpty(addAll(null, headers.values(name)));
  }

  @Override
  public String toString() {
    return "AuthenticationRequest[apiKeys=" + apiKeys.size() + ", secure=" + secure + "]";
  }

  private static @Nullable List<String> addAll(@Nullable List<String> list, @Nullable Iterable<String> values) {
    if (values == null) {
      return list;
    }
    List<String> out = list;
    for (String v : values) {
      if (v != null) {
        out = add(out, v);
      }
    }
    return out;
  }

  private static List<String> add(@Nullable List<String> list, String value) {
    List<String> out = list != null ? list : new ArrayList<>(2);
    out.add(value);
    return out;
  }

  private static List<String> orEmpty(@Nullable List<String> list) {
    return list != null ? List.copyOf(list) : List.of();
  }

  /** Collects header values; not thread-safe. */
  public static final class Builder {
    private final String peerAddress;
    // created on first use: most requests carry one or two of these headers
    private @Nullable List<String> apiKeys;
    private @Nullable List<String> authorizations;
    private @Nullable List<String> forwarded;
    private @Nullable List<String> xForwardedFor;
    private @Nullable List<String> xForwardedProto;
    private boolean secure;

    private Builder(String peerAddress) {
      this.peerAddress = Objects.requireNonNull(peerAddress, "peerAddress");
    }

    /**
     * Adds a value of an API-key header (null is ignored).
     *
     * @param value the header value, or null to add nothing
     * @return this builder
     */
    public Builder apiKey(@Nullable String value) {
      if (value != null) {
        apiKeys = add(apiKeys, value);
      }
      return this;
    }

    /**
     * Adds a value of {@code Authorization} (null is ignored).
     *
     * @param value the header value, or null to add nothing
     * @return this builder
     */
    public Builder authorization(@Nullable String value) {
      if (value != null) {
        authorizations = add(authorizations, value);
      }
      return this;
    }

    /**
     * Adds a value of {@code Forwarded} (null is ignored).
     *
     * @param value the header value, or null to add nothing
     * @return this builder
     */
    public Builder forwarded(@Nullable String value) {
      if (value != null) {
        forwarded = add(forwarded, value);
      }
      return this;
    }

    /**
     * Adds a value of {@code X-Forwarded-For} (null is ignored).
     *
     * @param value the header value, or null to add nothing
     * @return this builder
     */
    public Builder xForwardedFor(@Nullable String value) {
      if (value != null) {
        xForwardedFor = add(xForwardedFor, value);
      }
      return this;
    }

    /**
     * Adds a value of {@code X-Forwarded-Proto} (null is ignored).
     *
     * @param value the header value, or null to add nothing
     * @return this builder
     */
    public Builder xForwardedProto(@Nullable String value) {
      if (value != null) {
        xForwardedProto = add(xForwardedProto, value);
      }
      return this;
    }

    /**
     * Whether the connection is HTTPS.
     *
     * @param secure whether the request came over HTTPS
     * @return this builder
     */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /**
     * The request.
     *
     * @return the request
     */
    public AuthenticationRequest build() {
      AuthenticationRequest r = new AuthenticationRequest(orEmpty(apiKeys), secure, null, null, peerAddress);
      r.authorizations = orEmpty(authorizations);
      r.forwarded = orEmpty(forwarded);
      r.xForwardedFor = orEmpty(xForwardedFor);
      r.xForwardedProto = orEmpty(xForwardedProto);
      return r;
    }
  }
}
