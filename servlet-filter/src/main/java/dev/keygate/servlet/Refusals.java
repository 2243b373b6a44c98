package dev.keygate.servlet;

import dev.keygate.AuthenticationResult.Refused;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
    write(res, refused.status(), refused.headers(), refused.body());
  }

  /**
   * Answers {@code status} with {@code headers} and the JSON {@code body}, replacing anything
   * buffered; a committed response is left as it is (and logged). For answers outside the response
   * table that must look like its rows (a CSRF refusal, a body over a limit).
   *
   * @param res the response
   * @param status the status
   * @param headers the headers to set ({@code Content-Type} among them)
   * @param body the body, ASCII JSON
   * @throws IOException if the body cannot be written
   */
  public static void write(HttpServletResponse res, int status, Map<String, String> headers, String body)
      throws IOException {
    if (res.isCommitted()) {
      LOG.warn("response already committed; cannot answer {}", status);
      return;
    }
    res.resetBuffer();
    res.setStatus(status);
    headers.forEach(res::setHeader);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    res.setContentLength(bytes.length);
    try {
      res.getOutputStream().write(bytes);
    } catch (IllegalStateException writerInUse) {
      // an earlier filter took the writer; the body is ASCII, so any charset writes the same bytes
      res.getWriter().write(body);
    }
  }
}
