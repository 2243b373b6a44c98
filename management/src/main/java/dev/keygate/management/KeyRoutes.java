package dev.keygate.management;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keygate.ApiKey;
import dev.keygate.ApiKeyService;
import dev.keygate.AuthenticationEngine;
import dev.keygate.InvalidKeyRequestException;
import dev.keygate.IssuedKey;
import dev.keygate.KeyNotFoundException;
import dev.keygate.KeyQuery;
import dev.keygate.KeyStateException;
import dev.keygate.KeyStatus;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.Page;
import dev.keygate.PageCursor;
import dev.keygate.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;

/** The routes behind {@link KeyManagement}, for one authorized caller. */
final class KeyRoutes {
  static final int MAX_LIMIT = 200;
  static final int DEFAULT_LIMIT = 50;
  /** The most keys counted for a listing's total; an organization with more is shown as this many. */
  static final int MAX_TOTAL = 10_000;
  private static final Pattern KEY_ID = Pattern.compile("[0-9A-Za-z]{12}");
  private static final Set<String> LIST_PARAMETERS = Set.of("status", "environment", "cursor", "limit");

  private final ApiKeyService keys;
  private final AuthenticationEngine engine;
  private final Clock clock;
  private final List<ScopeDescription> catalogue;
  private final List<String> environments;

  KeyRoutes(Keygate keygate, List<ScopeDescription> catalogue, List<String> environments) {
    this.keys = keygate.keys();
    this.engine = keygate.engine();
    this.clock = keygate.clock();
    this.catalogue = catalogue;
    this.environments = environments;
  }

  ManagementResponse route(String method, String path, ManagementRequest request, Manager caller) {
    if (!(path.equals("/keys") && method.equals("GET")) && hasQuery(request)) {
      return Replies.error(400, "Unknown query parameter; only GET /keys takes any (status, environment, cursor, limit).");
    }
    switch (path) {
      case "/session":
        return method.equals("GET") ? Replies.json(200, session(caller)) : KeyManagement.notAllowed("GET");
      case "/scopes":
        return method.equals("GET") ? Replies.json(200, scopes(caller)) : KeyManagement.notAllowed("GET");
      case "/environments":
        return method.equals("GET") ? Replies.json(200, environments()) : KeyManagement.notAllowed("GET");
      case "/keys":
        return switch (method) {
          case "GET" -> list(request, caller);
          case "POST" -> create(request, caller);
          default -> KeyManagement.notAllowed("GET, POST");
        };
      default:
        return keyRoute(method, path.substring("/keys/".length()), request, caller);
    }
  }

  /** {@code /keys/{id}}, {@code /keys/{id}/rotate}, {@code /keys/{id}/revoke}. */
  private ManagementResponse keyRoute(String method, String rest, ManagementRequest request, Manager caller)
      {
    int slash = rest.indexOf('/');
    String id = slash < 0 ? rest : rest.substring(0, slash);
    String action = slash < 0 ? "" : rest.substring(slash + 1);
    boolean known = slash < 0 || action.equals("rotate") || action.equals("revoke"); // "/keys/{id}/" is not a route
    if (!KEY_ID.matcher(id).matches() || !known) {
      return Replies.error(404, "Not found.");
    }
    if (action.isEmpty()) {
      return switch (method) {
        case "GET" -> show(id, caller);
        case "DELETE" -> delete(id, caller);
        default -> KeyManagement.notAllowed("GET, DELETE");
      };
    }
    if (!method.equals("POST")) {
      return KeyManagement.notAllowed("POST");
    }
    return action.equals("rotate") ? rotate(id, request, caller) : revoke(id, request, caller);
  }

  private ObjectNode session(Manager caller) {
    ObjectNode o = Replies.JSON.createObjectNode();
    o.put("organization", caller.organization());
    o.put("subject", caller.subject());
    o.put("full_access", caller.fullAccess());
    caller.scopes().forEach(o.putArray("scopes")::add);
    return o;
  }

  private ObjectNode scopes(Manager caller) {
    ObjectNode o = Replies.JSON.createObjectNode();
    ArrayNode list = o.putArray("scopes");
    for (ScopeDescription s : catalogue) {
      list.addObject().put("name", s.name()).put("description", s.description()).put("grantable", caller.canGrant(s.name()));
    }
    o.put("full_access_grantable", caller.fullAccess());
    return o;
  }

  private ObjectNode environments() {
    ObjectNode o = Replies.JSON.createObjectNode();
    environments.forEach(o.putArray("environments")::add);
    return o;
  }

  private ManagementResponse list(ManagementRequest request, Manager caller) {
    try {
      for (String name : request.queryNames()) {
        if (name.equals("offset")) { // pages start after a position now, so that a late page costs what the first does
          return Replies.error(400, "offset: not supported; pass cursor (the next_cursor of the previous page).");
        }
        if (!LIST_PARAMETERS.contains(name)) {
          return Replies.error(400, "Unknown query parameter; use status, environment, cursor and limit.");
        }
      }
    } catch (RuntimeException e) { // a container that cannot decode the query string (bad %-escapes)
      return Replies.error(400, "The query string is not valid.");
    }
    PageCursor after;
    int limit;
    KeyStatus status;
    String environment;
    try {
      after = cursor(request);
      limit = whole(request, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, "a whole number from 1 to " + MAX_LIMIT);
      String s = single(request, "status");
      status = s == null ? null : statusNamed(s);
      environment = single(request, "environment");
    } catch (IllegalArgumentException e) {
      return Replies.error(400, e.getMessage());
    }
    engine.flushUsage(); // show this node's latest counts
    Instant now = clock.instant();
    KeyQuery query = KeyQuery.all(now).withOwner(caller.organization()).withStatus(status).withEnvironment(environment);
    Page<ApiKey> page = keys.list(query.withAfter(after).withLimit(limit));
    ObjectNode o = Replies.JSON.createObjectNode();
    ArrayNode items = o.putArray("items");
    page.items().forEach(k -> items.add(KeyJson.of(k, null, now, engine.hasFullAccess(k))));
    o.put("total", total(query, after, page));
    o.put("has_more", page.hasMore());
    PageCursor next = page.nextCursor();
    if (next != null) { // absent on the last page, as every unset field of this API
      o.put("next_cursor", next.encode());
    }
    return Replies.json(200, o);
  }

  static boolean hasQuery(ManagementRequest request) {
    try {
      return request.queryNames().iterator().hasNext();
    } catch (RuntimeException e) { // a container that cannot decode the query string
      return true;
    }
  }

  /**
   * How many keys match, at most {@link #MAX_TOTAL}: counted by the store (one query for the JDBC
   * store), unless this page is the only one.
   */
  private long total(KeyQuery query, @org.jspecify.annotations.Nullable PageCursor after, Page<ApiKey> page) {
    if (after == null && !page.hasMore()) {
      return page.items().size(); // the only page
    }
    return keys.count(query, MAX_TOTAL);
  }

  private ManagementResponse create(ManagementRequest request, Manager caller) {
    NewKey wanted;
    try {
      JsonNode body = Bodies.object(request, false);
      wanted = Bodies.newKey(Objects.requireNonNull(body), caller.organization());
    } catch (Bodies.BadBody e) {
      return Replies.error(e.status(), e.getMessage());
    }
    if (wanted.environment() == null && !keys.format().environments().isEmpty()) {
      // the key format says every key's environment by its prefix: without one, the first offered
      wanted = wanted.withEnvironment(environments.get(0));
    }
    for (String s : wanted.scopes()) {
      if (!dev.keygate.Scopes.isValid(s)) {
        return Replies.error(400, "scopes: each must be a scope such as datasets.read, datasets.* or *");
      }
      if (!KeyManagement.inCatalogue(catalogue, s)) {
        return Replies.error(400, "scopes: not in the scope catalogue: " + s);
      }
    }
    Set<String> ungranted = caller.ungranted(wanted.scopes());
    if (!ungranted.isEmpty()) {
      return Replies.ungranted(ungranted);
    }
    IssuedKey issued = keys.create(wanted);
    return Replies.json(201, view(issued.key(), issued.plaintext()),
        Map.of("Location", "keys/" + issued.key().id()));
  }

  private ManagementResponse show(String id, Manager caller) {
    engine.flushUsage();
    return Replies.json(200, view(own(id, caller), null));
  }

  private ManagementResponse rotate(String id, ManagementRequest request, Manager caller) {
    Duration grace;
    try {
      grace = Bodies.gracePeriod(Bodies.object(request, true));
    } catch (Bodies.BadBody e) {
      return Replies.error(e.status(), e.getMessage());
    }
    ApiKey key = own(id, caller);
    Set<String> ungranted = caller.ungranted(key.scopes());
    if (!ungranted.isEmpty()) {
      return Replies.ungranted(ungranted); // a new secret of a key is that key: only for who could create it
    }
    IssuedKey issued = keys.rotate(id, grace);
    return Replies.json(200, view(issued.key(), issued.plaintext()));
  }

  private ManagementResponse revoke(String id, ManagementRequest request, Manager caller) {
    try {
      JsonNode body = Bodies.object(request, true); // none expected; one that is there must be {}
      if (body != null) {
        Bodies.onlyFields(body, Set.of());
      }
    } catch (Bodies.BadBody e) {
      return Replies.error(e.status(), e.getMessage());
    }
    own(id, caller);
    return Replies.json(200, view(keys.revoke(id), null));
  }

  private ManagementResponse delete(String id, Manager caller) {
    own(id, caller);
    keys.delete(id);
    return Replies.noContent();
  }

  private ObjectNode view(ApiKey key, @org.jspecify.annotations.Nullable String plaintext) {
    return KeyJson.of(key, plaintext, clock.instant(), engine.hasFullAccess(key));
  }

  private ApiKey own(String id, Manager caller) {
    return keys.get(id).filter(k -> caller.organization().equals(k.owner()))
        .orElseThrow(() -> new KeyNotFoundException(id));
  }

  /** Answers what core refused or failed at. */
  static ManagementResponse failure(RuntimeException e, Logger log) {
    if (e instanceof InvalidKeyRequestException) {
      return Replies.error(400, e.getMessage()); // "field: rule", never the value given
    }
    if (e instanceof KeyNotFoundException) {
      return Replies.error(404, "API key not found.");
    }
    if (e instanceof KeyStateException) {
      return Replies.error(409, e.getMessage());
    }
    if (e instanceof StoreUnavailableException) {
      log.warn("key management: store unavailable: {}", e.toString());
      return Replies.error(503, "Service temporarily unavailable.", Map.of("Retry-After", "1"));
    }
    log.error("key management: unexpected failure", e);
    return Replies.error(500, "Internal server error.");
  }

  private static KeyStatus statusNamed(String s) {
    for (KeyStatus k : KeyStatus.values()) {
      if (k.name().toLowerCase(Locale.ROOT).equals(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException("status: must be active, revoked or expired");
  }

  private static @org.jspecify.annotations.Nullable String single(ManagementRequest request, String name) {
    List<String> values = request.query(name);
    if (values.size() > 1) {
      throw new IllegalArgumentException(name + ": give it once");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  /** The position the page starts after, or null for the first page. */
  private static @org.jspecify.annotations.Nullable PageCursor cursor(ManagementRequest request) {
    String text = single(request, "cursor");
    if (text == null) {
      return null;
    }
    try {
      return PageCursor.decode(text);
    } catch (IllegalArgumentException e) { // its message never repeats the text
      throw new IllegalArgumentException("cursor: " + e.getMessage() + "; pass the next_cursor of the previous page");
    }
  }

  private static int whole(ManagementRequest request, String name, int absent, int min, int max, String rule) {
    String text = single(request, name);
    if (text == null) {
      return absent;
    }
    try {
      if (!text.matches("[0-9]{1,10}")) {
        throw new NumberFormatException(); // Integer.parseInt also takes "+5" and non-ASCII digits
      }
      int n = Integer.parseInt(text);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the same answer for "abc", "", "1e3" and 99999999999
    }
    throw new IllegalArgumentException(name + ": must be " + rule);
  }

  @Override
  public String toString() {
    return "KeyRoutes[" + catalogue.size() + " scopes, environments " + environments + "]";
  }
}
