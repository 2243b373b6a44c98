package dev.keygate.management;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** The management API's answers: JSON, never cached, errors as {@code {"detail": ...}}. */
final class Replies {
  static final ObjectMapper JSON = new ObjectMapper();

  private Replies() {}

  static ManagementResponse json(int status, JsonNode body) {
    return json(status, body, Map.of());
  }

  static ManagementResponse json(int status, JsonNode body, Map<String, String> extra) {
    try {
      return raw(status, JSON.writeValueAsBytes(body), extra);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e); // cannot happen
    }
  }

  static ManagementResponse raw(int status, byte[] json, Map<String, String> extra) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    headers.put("Cache-Control", "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    headers.putAll(extra);
    return new ManagementResponse(status, headers, json);
  }

  static ManagementResponse noContent() {
    return new ManagementResponse(204, Map.of("Cache-Control", "no-store"), new byte[0]);
  }

  static ManagementResponse error(int status, String detail) {
    return json(status, problem(detail));
  }

  static ManagementResponse error(int status, String detail, Map<String, String> extra) {
    return json(status, problem(detail), extra);
  }

  static ObjectNode problem(String detail) {
    return JSON.createObjectNode().put("detail", detail);
  }

  /** A 403 for a key the caller may not grant, naming the scopes. */
  static ManagementResponse ungranted(Collection<String> scopes) {
    String detail = scopes.contains("*")
        ? "You cannot grant full access (a key with no scopes, or the scope *): your own credential does not have it."
        : "You cannot grant scopes you do not hold: " + String.join(", ", scopes);
    ObjectNode body = problem(detail);
    scopes.forEach(body.putArray("ungranted_scopes")::add);
    return json(403, body);
  }

  /** {@code {"detail": ...}} as JSON text. */
  static String detail(String detail) {
    try {
      return JSON.writeValueAsString(problem(detail));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
