package dev.keygate.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.keygate.InvalidKeyRequestException;
import dev.keygate.KeyNotFoundException;
import dev.keygate.KeyStateException;
import dev.keygate.spi.StoreUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a JSON {@code {"detail": ...}} answer; nothing reaches a client as a
 * stack trace. (Named classes, not lambdas: JAX-RS reads the exception type from the class.)
 */
final class ErrorMappers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

  private ErrorMappers() {}

  static List<Object> all() {
    return List.of(new Invalid(), new NotFound(), new Conflict(), new BadRequest(), new Forbidden(), new Refused(),
        new Unavailable(), new BadJson(), new Web(), new Unexpected());
  }

  static final class Invalid implements ExceptionMapper<InvalidKeyRequestException> {
    @Override
    public Response toResponse(InvalidKeyRequestException e) {
      return Problem.of(400, e.getMessage());
    }
  }

  static final class NotFound implements ExceptionMapper<KeyNotFoundException> {
    @Override
    public Response toResponse(KeyNotFoundException e) {
      return Problem.of(404, "API key not found.");
    }
  }

  static final class Conflict implements ExceptionMapper<KeyStateException> {
    @Override
    public Response toResponse(KeyStateException e) {
      return Problem.of(409, e.getMessage());
    }
  }

  static final class BadRequest implements ExceptionMapper<KeysResource.BadRequest> {
    @Override
    public Response toResponse(KeysResource.BadRequest e) {
      return Problem.of(400, e.getMessage());
    }
  }

  static final class Forbidden implements ExceptionMapper<KeysResource.Forbidden> {
    @Override
    public Response toResponse(KeysResource.Forbidden e) {
      return Problem.of(403, e.getMessage());
    }
  }

  static final class Refused implements ExceptionMapper<Problem.Refusal> {
    @Override
    public Response toResponse(Problem.Refusal e) {
      return Problem.of(e.status(), e.getMessage());
    }
  }

  static final class Unavailable implements ExceptionMapper<StoreUnavailableException> {
    @Override
    public Response toResponse(StoreUnavailableException e) {
      LOG.warn("store unavailable: {}", e.toString());
      return Response.fromResponse(Problem.of(503, "Service temporarily unavailable."))
          .header("Retry-After", "1").build();
    }
  }

  static final class BadJson implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
      if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
        String field = m.getPath().stream()
            .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
            .collect(Collectors.joining("."));
        return Problem.of(400, field + ": invalid value or unknown field");
      }
      return Problem.of(400, "The body is not valid JSON.");
    }
  }

  static final class Web implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      Response r = e.getResponse();
      Response.ResponseBuilder out = Response.fromResponse(Problem.of(r.getStatus(), r.getStatusInfo().getReasonPhrase() + "."));
      if (r.getHeaderString("Allow") != null) {
        out.header("Allow", r.getHeaderString("Allow"));
      }
      return out.build();
    }
  }

  static final class Unexpected implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      LOG.error("unexpected failure", e);
      return Problem.of(500, "Internal server error.");
    }
  }
}
