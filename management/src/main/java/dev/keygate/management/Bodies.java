package dev.keygate.management;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads request bodies: at most {@link #MAX_BYTES}, one JSON object, no field twice, no unknown
 * field, each field of the type it must have. A refusal names the field ({@code "name: ..."}).
 */
final class Bodies {
  /** The largest body read: room for the largest key core accepts (100 scopes of 200 characters). */
  static final int MAX_BYTES = 64 * 1024;
  /**
   * How much of a body the API did not read (refused before reading it, or too large) is read and
   * dropped before the answer, so that the client reads the answer and the connection stays open
   * for its next request. Beyond that the container decides (Jetty closes the connection).
   */
  static final int DRAINED_BYTES = 1024 * 1024;
  private static final java.util.regex.Pattern JSON_TYPE =
      java.util.regex.Pattern.compile("application/json(\\s*;\\s*charset=\"?utf-8\"?)?", java.util.regex.Pattern.CASE_INSENSITIVE);
  /** The longest list a field may hold before core's own, finer limits apply. */
  static final int MAX_ITEMS = 100;
  static final long MAX_GRACE_SECONDS = Duration.ofDays(30).toSeconds();

  private static final ObjectReader READER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build().reader();
  private static final Set<String> CREATE_FIELDS =
      Set.of("name", "scopes", "environment", "expires_at", "allowed_ips", "rate_limit");

  private Bodies() {}

  /** A refusal of the body, answered with its status and detail. */
  static final class BadBody extends Exception {
    private final int status;

    BadBody(int status, String detail) {
      super(detail, null, false, false); // an answer, not a failure
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /**
   * A failure to read the body (the connection broke, or the server's own body limit stopped it):
   * not the client's JSON, so the adapter rethrows the cause for the container to answer.
   */
  static final class Unreadable extends RuntimeException {
    Unreadable(Exception cause) {
      super(cause);
    }
  }

  /** Whether the request says its body is JSON: {@code application/json}, in UTF-8 if a charset is named. */
  static boolean saysJson(ManagementRequest request) {
    List<String> types = request.headers("Content-Type");
    return types.size() == 1 && JSON_TYPE.matcher(types.get(0).strip()).matches();
  }

  /**
   * The body as a JSON object, or null when there is none and it is {@code optional}. A body must
   * say it is JSON; a {@code Content-Type} that says otherwise is refused before the body is read.
   */
  static @Nullable JsonNode object(ManagementRequest request, boolean optional) throws BadBody {
    boolean typed = !request.headers("Content-Type").isEmpty();
    if (typed && !saysJson(request)) {
      throw new BadBody(415, "Content-Type: must be application/json.");
    }
    byte[] bytes = bytes(request, MAX_BYTES);
    if (isBlank(bytes)) {
      if (optional) {
        return null;
      }
      throw new BadBody(400, "A JSON body is required.");
    }
    if (!typed) {
      throw new BadBody(415, "Content-Type: must be application/json.");
    }
    JsonNode node = tree(bytes);
    if (!node.isObject()) {
      throw new BadBody(400, "The body must be a JSON object.");
    }
    return node;
  }

  /**
   * The body's bytes, at most {@code max} of them (413 beyond); the rest is left for {@link
   * KeyManagement#handle} to read and drop.
   */
  static byte[] bytes(ManagementRequest request, int max) throws BadBody {
    byte[] bytes;
    try {
      bytes = request.body().readNBytes(max + 1);
    } catch (IOException | RuntimeException e) {
      throw new Unreadable(e);
    }
    if (bytes.length > max) {
      throw new BadBody(413, "Request body too large: at most " + max + " bytes.");
    }
    return bytes;
  }

  /** The bytes as JSON (no field twice, nothing after the value), or a 400. */
  static JsonNode tree(byte[] bytes) throws BadBody {
    try {
      JsonNode node = READER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new BadBody(400, "A JSON body is required.");
      }
      return node;
    } catch (IOException e) { // JsonProcessingException: nothing else fails on bytes in memory
      throw new BadBody(400, "The body is not valid JSON.");
    }
  }

  /**
   * Reads and drops what is left of the request's body, up to {@link #DRAINED_BYTES}, whatever the
   * answer: a container that finds a body unread when the answer is written (a 401, a 415, a 413)
   * closes the connection if the rest has not arrived yet, and a client that sent the next request
   * on that connection sees it fail. A failure to read is the connection's and changes no answer.
   */
  static void discardRest(ManagementRequest request) {
    byte[] dropped = new byte[8192];
    int left = DRAINED_BYTES;
    try {
      InputStream in = request.body();
      for (int n; left > 0 && (n = in.read(dropped, 0, Math.min(dropped.length, left))) != -1; ) {
        left -= n;
      }
    } catch (IOException | RuntimeException e) {
      // the client went away or the container stopped the body: the answer stands
    }
  }

  /** {@code POST /keys}: what to create, for {@code owner}. */
  static NewKey newKey(JsonNode body, String owner) throws BadBody {
    onlyFields(body, CREATE_FIELDS);
    // every field's type first, so that a refusal names the field that is wrong, then what is missing
    List<String> scopes = strings(body, "scopes");
    String environment = text(body, "environment");
    List<String> allowedIps = strings(body, "allowed_ips");
    Instant expiresAt = instant(body, "expires_at");
    RateLimit rateLimit = rateLimit(body.get("rate_limit"));
    String name = text(body, "name");
    if (name == null) {
      throw new BadBody(400, "name: is required");
    }
    return NewKey.named(name).withOwner(owner).withScopes(new LinkedHashSet<>(scopes)).withEnvironment(environment)
        .withAllowedIps(allowedIps).withExpiresAt(expiresAt).withRateLimit(rateLimit);
  }

  /** {@code POST /keys/{id}/rotate}: the grace period, zero when absent. */
  static Duration gracePeriod(@Nullable JsonNode body) throws BadBody {
    if (body == null) {
      return Duration.ZERO;
    }
    onlyFields(body, Set.of("grace_period_seconds"));
    JsonNode v = body.get("grace_period_seconds");
    if (v == null || v.isNull()) {
      return Duration.ZERO;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > MAX_GRACE_SECONDS) {
      throw new BadBody(400, "grace_period_seconds: must be a whole number from 0 to " + MAX_GRACE_SECONDS
          + " (30 days)");
    }
    return Duration.ofSeconds(v.asLong());
  }

  /** Refuses the first field of {@code body} not in {@code known}, naming it. */
  static void onlyFields(JsonNode body, Set<String> known) throws BadBody {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new BadBody(400, field(name) + ": unknown field");
      }
    }
  }

  private static @Nullable String text(JsonNode body, String field) throws BadBody {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new BadBody(400, field + ": must be a string");
    }
    return v.textValue();
  }

  private static List<String> strings(JsonNode body, String field) throws BadBody {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new BadBody(400, field + ": must be a list of strings");
    }
    if (v.size() > MAX_ITEMS) {
      throw new BadBody(400, field + ": at most " + MAX_ITEMS + " entries");
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode item : v) {
      if (item.isNull()) {
        throw new BadBody(400, field + ": must not contain null");
      }
      if (!item.isTextual()) {
        throw new BadBody(400, field + "[" + out.size() + "]: must be a string");
      }
      out.add(item.textValue());
    }
    return out;
  }

  private static @Nullable Instant instant(JsonNode body, String field) throws BadBody {
    String text = text(body, field);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new BadBody(400, field + ": must be an ISO-8601 instant such as 2027-03-01T00:00:00Z");
    }
  }

  private static @Nullable RateLimit rateLimit(@Nullable JsonNode v) throws BadBody {
    if (v == null || v.isNull()) {
      return null;
    }
    String rule = "rate_limit: must be {\"requests\": 1 or more, \"period_seconds\": 1 to 86400}";
    if (!v.isObject() || v.size() != 2) {
      throw new BadBody(400, rule);
    }
    JsonNode requests = v.get("requests");
    JsonNode period = v.get("period_seconds");
    if (requests == null || period == null || !requests.isInt() || !period.isIntegralNumber()
        || !period.canConvertToLong()) {
      throw new BadBody(400, rule);
    }
    try {
      return new RateLimit(requests.intValue(), Duration.ofSeconds(period.longValue()));
    } catch (IllegalArgumentException e) {
      throw new BadBody(400, rule);
    }
  }

  /** A field name as a refusal may repeat it: printable ASCII, at most 64 characters. */
  private static String field(String name) {
    return name.length() <= 64 && name.chars().allMatch(c -> c > 0x20 && c < 0x7f) ? name : "(a field)";
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }
}
