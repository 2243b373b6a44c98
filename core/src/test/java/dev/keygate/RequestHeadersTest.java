package dev.keygate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.AuthenticationResult.Authenticated;
import dev.keygate.testkit.CountingHasher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a request built from a server's headers reads, and when: the API-key headers at once, the
 * rest only when the engine needs them, each at most once.
 */
class RequestHeadersTest {
  private final List<String> asked = new ArrayList<>();
  private final AtomicInteger peerReads = new AtomicInteger();

  private AuthenticationRequest request(Map<String, List<String>> headers) {
    return AuthenticationRequest.of(name -> {
      asked.add(name);
      return headers.get(name);
    }, List.of("X-API-Key", "X-Other-Key"), () -> {
      peerReads.incrementAndGet();
      return "203.0.113.7";
    }, false);
  }

  @Test
  void apiKeyHeadersAreReadAtOnceInOrderSkippingNulls() {
    AuthenticationRequest r = request(Map.of("X-API-Key", Arrays.asList("a", null, "b"), "X-Other-Key", List.of("c")));
    assertThat(r.apiKeys()).containsExactly("a", "b", "c");
    assertThat(asked).containsExactly("X-API-Key", "X-Other-Key");
    assertThat(peerReads).hasValue(0);
    assertThat(r.toString()).isEqualTo("AuthenticationRequest[apiKeys=3, secure=false]");
  }

  @Test
  void otherHeadersAndThePeerAreReadOnceWhenFirstNeeded() {
    AuthenticationRequest r = request(Map.of("Authorization", List.of("Bearer t"), "Forwarded", List.of("for=1.2.3.4"),
        "X-Forwarded-For", List.of("1.2.3.4"), "X-Forwarded-Proto", List.of("https")));
    asked.clear();
    for (int i = 0; i < 2; i++) {
      assertThat(r.authorizations()).containsExactly("Bearer t");
      assertThat(r.forwarded()).containsExactly("for=1.2.3.4");
      assertThat(r.xForwardedFor()).containsExactly("1.2.3.4");
      assertThat(r.xForwardedProto()).containsExactly("https");
      assertThat(r.peerAddress()).isEqualTo("203.0.113.7");
    }
    assertThat(asked).containsExactly("Authorization", "Forwarded", "X-Forwarded-For", "X-Forwarded-Proto");
    assertThat(peerReads).hasValue(1);
  }

  @Test
  void absentHeadersAreEmpty() {
    AuthenticationRequest r = request(Map.of());
    assertThat(r.apiKeys()).isEmpty();
    assertThat(r.authorizations()).isEmpty();
    assertThat(r.xForwardedFor()).isEmpty();
    AuthenticationRequest fixedPeer = AuthenticationRequest.of(name -> List.of(), List.of("X-API-Key"), "198.51.100.1", true);
    assertThat(fixedPeer.peerAddress()).isEqualTo("198.51.100.1");
    assertThat(fixedPeer.secure()).isTrue();
  }

  @Test
  void theBuilderIgnoresNullValues() {
    AuthenticationRequest r = AuthenticationRequest.from("203.0.113.7").apiKey(null).authorization(null).forwarded(null)
        .xForwardedFor(null).xForwardedProto(null).build();
    assertThat(r.apiKeys()).isEmpty();
    assertThat(r.authorizations()).isEmpty();
    assertThat(r.forwarded()).isEmpty();
    assertThat(r.xForwardedFor()).isEmpty();
    assertThat(r.xForwardedProto()).isEmpty();
  }

  @Test
  void aCachedKeyWithoutAnAllowlistNeedsNoOtherHeaderNorThePeer() {
    KeyFormat format = KeyFormat.withPrefix("kg_test");
    ObservedStore store = ObservedStore.announcing();
    String k = ApiKeyService.builder().store(store).format(format).hasher(CountingHasher.cheapArgon2id()).build()
        .create(NewKey.named("a")).plaintext();
    try (AuthenticationEngine engine = AuthenticationEngine.builder().store(store).format(format)
        .hasher(CountingHasher.cheapArgon2id()).cacheExecutor(Runnable::run).usageFlushInterval(Duration.ZERO).build()) {
      assertThat(engine.authenticate(request(Map.of("X-API-Key", List.of(k))))).isInstanceOf(Authenticated.class);
      asked.clear();
      peerReads.set(0);
      assertThat(engine.authenticate(request(Map.of("X-API-Key", List.of(k))))).isInstanceOf(Authenticated.class);
      assertThat(asked).containsExactly("X-API-Key", "X-Other-Key");
      assertThat(peerReads).hasValue(0);
    }
  }
}
