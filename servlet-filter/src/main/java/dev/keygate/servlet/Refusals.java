package dev.keygate.servlet;

import dev.keygate.AuthenticationResult.Refused;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a row of Keygate's response table to a servlet response: status, headers
 * ({@code WWW-Authenticate}, {@code Retry-After}, ...) and JSON body. The servlet filter and the
 * Spring Security integration answer through it, so both answer alike.
 */
public final class Refusals {
  private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

  private Refusals() {}

  /**
   * Answers {@code refused}, replacing anything buffered; a committed response is left as it is
   * (and logged).
   *
   * @param res the response
   * @param refused the refusal
   * @throws IOException if the body cannot be written
   */
  public static void write(HttpServletResponse res, Refused refused) throws IOException {
    if (res.isCommitted()) {
      LOG.warn("response already committed; cannot answer {}", refused.status());
      return;
    }
    res.resetBuffer();
    res.setStatus(refused.status());
    refused.headers().forEach(res::setHeader);
    byte[] body = refused.body().getBytes(StandardCharsets.UTF_8);
    res.setContentLength(body.length);
    try {
      res.getOutputStream().write(body);
    } catch (IllegalStateException writerInUse) {
      // an earlier filter took the writer; the body is ASCII, so any charset writes the same bytes
      res.getWriter().write(refused.body());
    }
  }
}
