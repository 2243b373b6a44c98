package dev.keygate.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /health}: public. 200 {@code {"status":"ok"}} while the store takes writes, 503
 * {@code {"status":"unavailable",...}} with {@code Retry-After} while it does not (see
 * {@link StoreHealth}); never the cause, which is in the log.
 */
final class HealthServlet extends HttpServlet {
  private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] UNAVAILABLE = ("{\"status\":\"unavailable\",\"detail\":\"The key store cannot be"
      + " written; keys this node has not cached are refused 503 until it can.\"}").getBytes(StandardCharsets.US_ASCII);

  private final transient StoreHealth store;

  HealthServlet(StoreHealth store) {
    this.store = store;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("application/json");
    resp.setHeader("Cache-Control", "no-store");
    if (store.isWritable()) {
      resp.getOutputStream().write(OK);
    } else {
      resp.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
      resp.setHeader("Retry-After", "1");
      resp.getOutputStream().write(UNAVAILABLE);
    }
  }
}
