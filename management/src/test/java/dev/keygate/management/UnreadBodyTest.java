package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.hash.HmacSha256Hasher;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever the answer, the API reads the rest of the body (up to {@link Bodies#DRAINED_BYTES})
 * before it is written: a container that finds a body unread closes the connection when the rest
 * has not arrived yet, and the client's next request on it fails. Real servers only show that as a
 * race under load, so this reads the body through the adapter's seam and counts what was read.
 */
class UnreadBodyTest {
  private final Keygate keygate = Keygate.builder().store(new InMemoryApiKeyStore())
      .keyFormat(KeyFormat.withPrefix("kg_test")).hasher(HmacSha256Hasher.withPepper(ManagementApiContract.PEPPER, "t1"))
      .build();
  private final KeyManagement management = KeyManagement.builder(keygate).scope("datasets.read", "Read.").build();
  private final String admin = keygate.keys().create(NewKey.named("admin").withOwner("acme")).plaintext();

  @AfterEach
  void close() {
    keygate.close();
  }

  @Test
  void aRefusalReadsTheBodyItDidNotNeed() throws IOException {
    Call noKey = new Call("POST", "/keys", null, "application/json", 100_000);
    assertThat(management.handle(noKey).status()).isEqualTo(401);
    assertThat(noKey.body.position()).as("no key: 401, body read to its end").isEqualTo(100_000);

    Call wrongType = new Call("POST", "/keys", admin, "text/plain", 100_000);
    assertThat(management.handle(wrongType).status()).isEqualTo(415);
    assertThat(wrongType.body.position()).as("415 before the body is parsed").isEqualTo(100_000);

    Call notAllowed = new Call("PUT", "/keys", admin, "application/json", 10);
    assertThat(management.handle(notAllowed).status()).isEqualTo(405);
    assertThat(notAllowed.body.position()).isEqualTo(10);
  }

  @Test
  void aBodyTooLargeIsReadUpToTheDrainedBytesAndNoFurther() throws IOException {
    Call justOver = new Call("POST", "/keys", admin, "application/json", Bodies.MAX_BYTES + 1 + Bodies.DRAINED_BYTES);
    assertThat(management.handle(justOver).status()).isEqualTo(413);
    assertThat(justOver.body.position()).as("read to its end").isEqualTo(Bodies.MAX_BYTES + 1 + Bodies.DRAINED_BYTES);

    Call tooMuch = new Call("POST", "/keys", admin, "application/json", 4 * Bodies.DRAINED_BYTES);
    assertThat(management.handle(tooMuch).status()).isEqualTo(413);
    assertThat(tooMuch.body.position()).as("the rest is the container's to refuse")
        .isEqualTo(Bodies.MAX_BYTES + 1 + Bodies.DRAINED_BYTES);
  }

  @Test
  void aBodyThatFailsWhileDiscardedChangesNoAnswer() throws IOException {
    Call broken = new Call("POST", "/keys", null, "application/json", 100) {
      @Override
      public InputStream body() throws IOException {
        throw new IOException("connection reset");
      }
    };
    assertThat(management.handle(broken).status()).isEqualTo(401);
  }

  /** A body of {@code size} bytes whose read position the test can see. */
  static final class CountedBody extends ByteArrayInputStream {
    CountedBody(int size) {
      super(new byte[size]);
    }

    int position() {
      return pos;
    }
  }

  /** A request as an adapter would hand it over. */
  static class Call implements ManagementRequest {
    final String method;
    final String path;
    final Map<String, List<String>> headers;
    final CountedBody body;

    Call(String method, String path, @Nullable String key, String type, int size) {
      this.method = method;
      this.path = path;
      this.headers = key == null ? Map.of("content-type", List.of(type))
          : Map.of("content-type", List.of(type), "x-api-key", List.of(key));
      this.body = new CountedBody(size);
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public List<String> query(String name) {
      return List.of();
    }

    @Override
    public Iterable<String> queryNames() {
      return List.of();
    }

    @Override
    public List<String> headers(String name) {
      return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    }

    @Override
    public String peerAddress() {
      return "198.51.100.7";
    }

    @Override
    public boolean secure() {
      return false;
    }

    @Override
    public @Nullable Principal principal() {
      return null;
    }

    @Override
    public InputStream body() throws IOException {
      return body;
    }
  }
}
