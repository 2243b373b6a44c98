package dev.keygate.sample;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses {@code TRACE} and {@code TRACK} on every path with 405 JSON before anything else sees
 * the request: a servlet answers TRACE by echoing the request's headers, API key and cookies
 * included, to any script that can make the browser send one (cross-site tracing).
 */
final class RefuseTrace extends Handler.Wrapper {
  private static final byte[] BODY = "{\"detail\":\"Method Not Allowed.\"}".getBytes(StandardCharsets.US_ASCII);

  RefuseTrace(Handler next) {
    super(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String method = request.getMethod();
    if (!"TRACE".equalsIgnoreCase(method) && !"TRACK".equalsIgnoreCase(method)) {
      return super.handle(request, response, callback);
    }
    response.setStatus(HttpStatus.METHOD_NOT_ALLOWED_405);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, BODY.length);
    response.write(true, ByteBuffer.wrap(BODY), callback);
    return true;
  }
}
