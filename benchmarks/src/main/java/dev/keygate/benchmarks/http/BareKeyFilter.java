package dev.keygate.benchmarks.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * The floor of an API-key filter: SHA-256 of the {@code X-API-Key} header, one Caffeine lookup,
 * 401 on a miss. No format check, no status, no scopes, no limits, no usage: a baseline only.
 */
final class BareKeyFilter implements Filter {
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });
  private final Cache<ByteBuffer, Boolean> known =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofHours(1)).build(); // as the engine's cache in a run

  BareKeyFilter(String apiKey) {
    known.put(digest(apiKey), Boolean.TRUE);
  }

  private static ByteBuffer digest(String key) {
    return ByteBuffer.wrap(SHA256.get().digest(key.getBytes(StandardCharsets.US_ASCII)));
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String key = ((HttpServletRequest) request).getHeader("X-API-Key");
    if (key == null || known.getIfPresent(digest(key)) == null) {
      ((HttpServletResponse) response).sendError(401);
      return;
    }
    chain.doFilter(request, response);
  }
}
