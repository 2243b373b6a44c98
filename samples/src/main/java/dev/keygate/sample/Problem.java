package dev.keygate.sample;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Error responses in the same shape as Keygate's: {@code {"detail": ...}}, never cached. */
final class Problem {
  private Problem() {}

  static Response of(int status, String detail) {
    return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
        .entity(Map.of("detail", detail)).build();
  }

  /** A refusal thrown from a resource method; {@link ErrorMappers} answers it with its status and detail. */
  static final class Refusal extends RuntimeException {
    private final int status;

    Refusal(int status, String detail) {
      super(detail, null, false, false); // an answer, not a failure: no stack trace to fill
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /** 400 with a detail that names the field. */
  static Refusal badRequest(String detail) {
    return new Refusal(400, detail);
  }

  /** 403 with a detail. */
  static Refusal forbidden(String detail) {
    return new Refusal(403, detail);
  }
}
