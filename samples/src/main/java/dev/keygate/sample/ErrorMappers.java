package dev.keygate.sample;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.keygate.InvalidKeyRequestException;
import dev.keygate.KeyNotFoundException;
import dev.keygate.KeyStateException;
import dev.keygate.StoreUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.List;
import org.eclipse.jetty.http.HttpException;
import org.glassfish.jersey.server.ParamException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a JSON {@code {"detail": ...}} answer; nothing reaches a client as a
 * stack trace, and no detail repeats the request's path. (Named classes, not lambdas: JAX-RS reads
 * the exception type from the class.)
 */
final class ErrorMappers {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

  private ErrorMappers() {}

  /** Every mapper; {@code bodyLimit} is what a 413 names. */
  static List<Object> all(long bodyLimit) {
    return List.of(new Invalid(), new NotFound(), new Conflict(), new Refused(), new Unavailable(),
        new BadJson(bodyLimit), new Web(), new Unexpected(bodyLimit));
  }

  /**
   * The answer Jetty asked for while the body was being read (413 from the body limit, a broken
   * chunked encoding), found among the causes: Jackson and Jersey wrap it on the way up.
   */
  static @Nullable Response fromServer(Throwable e, long bodyLimit) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
        return Problem.of(http.getCode(), JsonErrorPages.detail(http.getCode(), bodyLimit));
      }
    }
    return null;
  }

  static final class Invalid implements ExceptionMapper<InvalidKeyRequestException> {
    @Override
    public Response toResponse(InvalidKeyRequestException e) {
      return Problem.of(400, e.getMessage()); // "field: rule", never the value given
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

  /** Malformed JSON, or a value of the wrong type: 400 naming the field where Jackson knows it. */
  static final class BadJson implements ExceptionMapper<JsonProcessingException> {
    private final long bodyLimit;

    BadJson(long bodyLimit) {
      this.bodyLimit = bodyLimit;
    }

    @Override
    public Response toResponse(JsonProcessingException e) {
      Response server = fromServer(e, bodyLimit);
      if (server != null) {
        return server;
      }
      if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
          if (r.getFieldName() != null) {
            field.append(field.length() == 0 ? "" : ".").append(r.getFieldName());
          } else {
            field.append('[').append(r.getIndex()).append(']');
          }
        }
        return Problem.of(400, field + ": invalid value or unknown field");
      }
      return Problem.of(400, "The body is not valid JSON.");
    }
  }

  /**
   * Jersey's own refusals (unknown path, wrong method, unsupported media type, unparsable
   * parameter) with their status, except that a query, header, cookie or form parameter that does
   * not parse is the client's error (400), not an absent resource (JAX-RS says 404).
   */
  static final class Web implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      if (e instanceof ParamException p && !(e instanceof ParamException.PathParamException)) {
        return Problem.of(400, p.getParameterName() + ": invalid value");
      }
      Response r = e.getResponse();
      Response.ResponseBuilder out = Response.fromResponse(Problem.of(r.getStatus(), r.getStatusInfo().getReasonPhrase() + "."));
      if (r.getHeaderString("Allow") != null) {
        out.header("Allow", r.getHeaderString("Allow"));
      }
      return out.build();
    }
  }

  static final class Unexpected implements ExceptionMapper<Throwable> {
    private final long bodyLimit;

    Unexpected(long bodyLimit) {
      this.bodyLimit = bodyLimit;
    }

    @Override
    public Response toResponse(Throwable e) {
      Response server = fromServer(e, bodyLimit);
      if (server != null) {
        return server;
      }
      LOG.error("unexpected failure", e);
      return Problem.of(500, "Internal server error.");
    }
  }
}
