package dev.keygate.sample;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (unknown path, wrong method on a servlet, a request Jetty cannot parse,
 * headers too large, a body over the limit, a servlet that failed) as {@code {"detail": ...}} JSON,
 * whatever the method and the {@code Accept} header. Jetty's pages name the request URI and may
 * carry an exception's message; these carry the status's reason only.
 */
final class JsonErrorPages {
  private JsonErrorPages() {}

  /** For requests that never reach the servlet context: bad URIs, oversized headers, TRACE-like junk. */
  static ErrorHandler forServer(long bodyLimit) {
    return new ServerPages(bodyLimit);
  }

  /** For the servlet context: {@code sendError} from servlets and Jersey, and servlet failures. */
  static ErrorHandler forContext(long bodyLimit) {
    return new ContextPages(bodyLimit);
  }

  static String detail(int status, long bodyLimit) {
    return switch (status) {
      case HttpStatus.PAYLOAD_TOO_LARGE_413 -> "Request body too large: at most " + bodyLimit + " bytes.";
      case HttpStatus.INTERNAL_SERVER_ERROR_500 -> "Internal server error.";
      default -> {
        String reason = HttpStatus.getMessage(status);
        yield reason == null || reason.isEmpty() ? "HTTP error " + status + "." : reason + ".";
      }
    };
  }

  private static void json(PrintWriter writer, int status, long bodyLimit) {
    // the details are fixed ASCII text without quotes or backslashes: nothing to escape
    writer.append("{\"detail\":\"").append(detail(status, bodyLimit)).append("\"}");
  }

  /** Nothing of the request or the failure reaches the client, and nothing is cached. */
  private static void withoutDetails(ErrorHandler pages) {
    pages.setCacheControl("no-store");
    pages.setShowStacks(false);
    pages.setShowCauses(false);
    pages.setShowOrigin(false);
  }

  private static final class ServerPages extends ErrorHandler {
    private final long bodyLimit;

    ServerPages(long bodyLimit) {
      this.bodyLimit = bodyLimit;
      withoutDetails(this);
    }

    @Override
    public boolean errorPageForMethod(String method) {
      return true; // Jetty writes bodies for GET, POST and HEAD only; a DELETE deserves JSON too
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
        Callback callback) throws IOException {
      if (!generateAcceptableResponse(request, response, callback, "application/json", List.of(StandardCharsets.UTF_8),
          code, message, cause)) {
        callback.succeeded();
      }
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
      json(writer, code, bodyLimit);
    }
  }

  private static final class ContextPages extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
    private final long bodyLimit;

    ContextPages(long bodyLimit) {
      this.bodyLimit = bodyLimit;
      withoutDetails(this);
    }

    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
        Callback callback) throws IOException {
      // the servlet flavour completes the servlet response itself once the body is written
      generateAcceptableResponse(request, response, callback, "application/json", List.of(StandardCharsets.UTF_8),
          code, message, cause);
    }

    @Override
    protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
      json(writer, code, bodyLimit);
    }
  }
}
