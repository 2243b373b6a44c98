package dev.keygate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What an adapter knows about a request, raw: the engine takes every decision. Adapters pass all
 * values of the configured API-key headers, of {@code Authorization}, {@code Forwarded}, {@code
 * X-Forwarded-For} and {@code X-Forwarded-Proto}, the TCP peer address and whether the connection
 * is secure.
 *
 * @param apiKeys values of the API-key header(s), in order received
 * @param authorizations values of {@code Authorization}
 * @param peerAddress the TCP peer (remote address) as text
 * @param secure whether the connection to this server is HTTPS
 * @param forwarded values of {@code Forwarded} (RFC 7239)
 * @param xForwardedFor values of {@code X-Forwarded-For}
 * @param xForwardedProto values of {@code X-Forwarded-Proto}
 */
public record AuthenticationRequest(
    List<String> apiKeys,
    List<String> authorizations,
    String peerAddress,
    boolean secure,
    List<String> forwarded,
    List<String> xForwardedFor,
    List<String> xForwardedProto) {

  /** Copies the lists. */
  public AuthenticationRequest {
    apiKeys = List.copyOf(apiKeys);
    authorizations = List.copyOf(authorizations);
    Objects.requireNonNull(peerAddress, "peerAddress");
    forwarded = List.copyOf(forwarded);
    xForwardedFor = List.copyOf(xForwardedFor);
    xForwardedProto = List.copyOf(xForwardedProto);
  }

  /** Reads every value of one request header, in order received; empty when absent. */
  @FunctionalInterface
  public interface Headers {
    /** The values of header {@code name} (matched case-insensitively by the server). */
    Iterable<String> values(String name);
  }

  /**
   * The request an adapter hands to the engine, read from its server's headers: every value of
   * each API-key header, of {@code Authorization}, {@code Forwarded}, {@code X-Forwarded-For} and
   * {@code X-Forwarded-Proto}.
   *
   * @param headers the server's header lookup
   * @param apiKeyHeaders the configured API-key header names ({@link AuthenticationEngine#apiKeyHeaders()})
   * @param peerAddress the TCP peer address
   * @param secure whether the connection is HTTPS
   */
  public static AuthenticationRequest of(Headers headers, List<String> apiKeyHeaders,
      String peerAddress, boolean secure) {
    Builder b = from(peerAddress).secure(secure);
    for (String name : apiKeyHeaders) {
      headers.values(name).forEach(b::apiKey);
    }
    headers.values("Authorization").forEach(b::authorization);
    headers.values("Forwarded").forEach(b::forwarded);
    headers.values("X-Forwarded-For").forEach(b::xForwardedFor);
    headers.values("X-Forwarded-Proto").forEach(b::xForwardedProto);
    return b.build();
  }

  /** A builder for a request from {@code peerAddress}. */
  public static Builder from(String peerAddress) {
    return new Builder(peerAddress);
  }

  @Override
  public String toString() {
    return "AuthenticationRequest[apiKeys=" + apiKeys.size() + ", authorizations="
        + authorizations.size() + ", peer=" + peerAddress + ", secure=" + secure + "]";
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

    /** Adds a value of an API-key header (null is ignored). */
    public Builder apiKey(@Nullable String value) {
      if (value != null) {
        apiKeys = add(apiKeys, value);
      }
      return this;
    }

    /** Adds a value of {@code Authorization} (null is ignored). */
    public Builder authorization(@Nullable String value) {
      if (value != null) {
        authorizations = add(authorizations, value);
      }
      return this;
    }

    /** Adds a value of {@code Forwarded} (null is ignored). */
    public Builder forwarded(@Nullable String value) {
      if (value != null) {
        forwarded = add(forwarded, value);
      }
      return this;
    }

    /** Adds a value of {@code X-Forwarded-For} (null is ignored). */
    public Builder xForwardedFor(@Nullable String value) {
      if (value != null) {
        xForwardedFor = add(xForwardedFor, value);
      }
      return this;
    }

    /** Adds a value of {@code X-Forwarded-Proto} (null is ignored). */
    public Builder xForwardedProto(@Nullable String value) {
      if (value != null) {
        xForwardedProto = add(xForwardedProto, value);
      }
      return this;
    }

    /** Whether the connection is HTTPS. */
    public Builder secure(boolean secure) {
      this.secure = secure;
      return this;
    }

    /** The request. */
    public AuthenticationRequest build() {
      return new AuthenticationRequest(orEmpty(apiKeys), orEmpty(authorizations), peerAddress, secure,
          orEmpty(forwarded), orEmpty(xForwardedFor), orEmpty(xForwardedProto));
    }

    private static List<String> add(@Nullable List<String> list, String value) {
      List<String> out = list != null ? list : new ArrayList<>(2);
      out.add(value);
      return out;
    }

    private static List<String> orEmpty(@Nullable List<String> list) {
      return list != null ? list : List.of();
    }
  }
}
