package dev.keygate.sample.spring;

import dev.keygate.spring.security.KeygateRefusalHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every refusal the application's own routes give is JSON {@code {"detail": ...}} with {@code
 * Cache-Control: no-store}: Spring MVC's (404 unknown path, 405 with {@code Allow}, 415, 406, 400
 * unreadable body) with the status's reason and never the request URI or a stack trace; a scope
 * {@code @PreAuthorize} refused is Keygate's 403 row naming the scope, as the Jetty sample answers.
 */
@RestControllerAdvice
class ErrorReplies extends ResponseEntityExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);

  private final KeygateRefusalHandler refusals;

  ErrorReplies(KeygateRefusalHandler refusals) {
    this.refusals = refusals;
  }

  /** A refusal thrown from a route: answered with its status and detail. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    Refusal(int status, String detail) {
      super(detail, null, false, false); // an answer, not a failure: no stack trace to fill
      this.status = status;
    }
  }

  static ResponseEntity<Object> detail(HttpStatusCode status, String detail) {
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store")
        .body(Map.of("detail", detail));
  }

  /** The status's reason as a sentence: {@code Not Found.}; fixed text, nothing from the request. */
  static String reason(int status) {
    if (status == 500) {
      return "Internal server error.";
    }
    HttpStatus known = HttpStatus.resolve(status);
    return known == null ? "HTTP error " + status + "." : known.getReasonPhrase() + ".";
  }

  @ExceptionHandler(Refusal.class)
  ResponseEntity<Object> refusal(Refusal e) {
    return detail(HttpStatusCode.valueOf(e.status), e.getMessage());
  }

  /**
   * A scope {@code @PreAuthorize} refused reaches this advice before Spring Security: Keygate's
   * handler answers it (its 403 row, naming the scope, counted in the engine's figures).
   */
  @ExceptionHandler(AccessDeniedException.class)
  void forbidden(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) throws IOException {
    refusals.handle(request, response, e);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> unexpected(Exception e) {
    if (BodyLimit.causedByLimit(e)) {
      return detail(HttpStatus.CONTENT_TOO_LARGE, "Request body too large.");
    }
    LOG.error("request failed", e);
    return detail(HttpStatus.INTERNAL_SERVER_ERROR, reason(500));
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(Exception ex, @Nullable Object body, HttpHeaders headers,
      HttpStatusCode statusCode, WebRequest request) {
    if (BodyLimit.causedByLimit(ex)) { // a body over the limit, as Jackson reported it
      return detail(HttpStatus.CONTENT_TOO_LARGE, "Request body too large.");
    }
    HttpHeaders out = new HttpHeaders();
    out.addAll(headers); // Allow on a 405, Accept on a 415
    out.setContentType(MediaType.APPLICATION_JSON);
    out.setCacheControl("no-store");
    return new ResponseEntity<>(Map.of("detail", reason(statusCode.value())), out, statusCode);
  }
}
