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
}
