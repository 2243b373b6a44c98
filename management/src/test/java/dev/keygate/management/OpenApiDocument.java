package dev.keygate.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The served OpenAPI document, read twice: by swagger-parser (is it a valid OpenAPI 3.1 document,
 * and which operations and statuses does it list) and as a JSON tree whose response schemas
 * networknt's JSON Schema 2020-12 validator checks bodies against.
 */
final class OpenApiDocument {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SwaggerParseResult parsed;
  private final JsonNode tree;
  /** Where the validator finds the document (a name only: nothing is fetched). */
  private static final String DOCUMENT = "https://keygate.invalid/openapi.json";

  private final SchemaRegistry registry;
  private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

  OpenApiDocument(String json) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    this.parsed = new OpenAPIV3Parser().readContents(json, null, options);
    try {
      this.tree = JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        b -> b.schemas(Map.of(DOCUMENT, json)));
  }

  /** What swagger-parser found wrong (empty for a clean document). */
  List<String> messages() {
    return parsed.getMessages() == null ? List.of() : parsed.getMessages();
  }

  @Nullable OpenAPI model() {
    return parsed.getOpenAPI();
  }

  /** Every documented "METHOD /path STATUS", from swagger-parser's model. */
  Set<String> documentedTriples() {
    Set<String> out = new TreeSet<>();
    parsed.getOpenAPI().getPaths().forEach((path, item) -> {
      for (Map.Entry<PathItem.HttpMethod, Operation> op : item.readOperationsMap().entrySet()) {
        for (String status : op.getValue().getResponses().keySet()) {
          out.add(triple(op.getKey().name(), path, status));
        }
      }
    });
    return out;
  }

  /** The documented methods of {@code path}, upper case. */
  Set<String> methods(String path) {
    Set<String> out = new TreeSet<>();
    parsed.getOpenAPI().getPaths().get(path).readOperationsMap().keySet().forEach(m -> out.add(m.name()));
    return out;
  }

  Set<String> paths() {
    return new TreeSet<>(parsed.getOpenAPI().getPaths().keySet());
  }

  static String triple(String method, String path, Object status) {
    return method.toUpperCase(Locale.ROOT) + " " + path + " " + status;
  }

  /** The response object documented for the triple (a {@code $ref} followed), or null. */
  @Nullable JsonNode response(String method, String path, int status) {
    JsonNode r = tree.path("paths").path(path).path(method.toLowerCase(Locale.ROOT)).path("responses")
        .path(Integer.toString(status));
    return r.isMissingNode() ? null : follow(r);
  }

  /** A header object of a response ({@code $ref} followed). */
  JsonNode follow(JsonNode node) {
    JsonNode ref = node.get("$ref");
    if (ref == null) {
      return node;
    }
    JsonNode target = tree.at(ref.asText().substring(1));
    if (target.isMissingNode()) {
      throw new AssertionError("dangling $ref " + ref.asText());
    }
    return follow(target);
  }

  /**
   * Validates {@code body} against the schema documented for the triple's JSON content: a
   * {@code $ref} to a component is looked up by its JSON pointer in the whole document (registered
   * with the validator), so that references between components resolve as they do in the document.
   * Formats ({@code date-time}) are asserted.
   *
   * @return the validator's complaints; empty when the body conforms
   */
  List<Error> validate(String method, String path, int status, String body) {
    JsonNode response = response(method, path, status);
    if (response == null) {
      throw new AssertionError("undocumented: " + triple(method, path, status));
    }
    JsonNode schema = response.path("content").path("application/json").path("schema");
    if (schema.isMissingNode()) {
      throw new AssertionError("no JSON schema documented for " + triple(method, path, status));
    }
    return validate(schema, body);
  }

  /** Validates {@code body} against the named component schema. */
  List<Error> validateComponent(String name, String body) {
    return validate(JSON.createObjectNode().put("$ref", "#/components/schemas/" + name), body);
  }

  private List<Error> validate(JsonNode schemaNode, String body) {
    Schema schema = schemas.computeIfAbsent(schemaNode.toString(), key -> {
      JsonNode ref = schemaNode.get("$ref");
      if (ref != null && schemaNode.size() == 1) { // a component: found by its pointer in the whole document
        return registry.getSchema(SchemaLocation.of(DOCUMENT + ref.asText()));
      }
      if (schemaNode.findValue("$ref") != null) {
        throw new AssertionError("an inline schema with references: " + schemaNode);
      }
      return registry.getSchema(schemaNode.toString(), InputFormat.JSON);
    });
    return schema.validate(body, InputFormat.JSON, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)));
  }

}
