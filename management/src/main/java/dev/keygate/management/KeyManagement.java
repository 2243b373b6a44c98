package dev.keygate.management;

import dev.keygate.Keygate;
import dev.keygate.Scopes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key-management HTTP API, the same wherever it is mounted ({@link KeyManagementServlet} in a
 * servlet container, {@link KeyManagementFeature} in a JAX-RS application). Below its base path:
 *
 * <ul>
 *   <li>{@code GET /session}: who is signed in; {@code GET /scopes}: the scope catalogue;
 *       {@code GET /environments}; {@code GET /openapi.json}: this API's description (public);
 *   <li>{@code GET /keys} (filters {@code status}, {@code environment}; {@code limit}, and
 *       {@code cursor}: the {@code next_cursor} of the previous page), {@code POST /keys}, {@code
 *       GET /keys/{id}}, {@code POST /keys/{id}/rotate}, {@code POST /keys/{id}/revoke}, {@code
 *       DELETE /keys/{id}};
 *   <li>{@code POST /secret-scanning/github}, only with {@link Builder#leakReports}: leak reports from
 *       GitHub's secret scanning, authenticated by their signature (see {@link LeakReports}).
 * </ul>
 *
 * <p>Every route but the description asks {@link ManagementAccess} who is calling, and acts only on
 * that caller's organization's keys; another organization's key is 404, as if absent. A caller
 * cannot give a key a scope it does not hold, nor full access unless it has full access. Thread-safe.
 */
public final class KeyManagement {
  private static final Logger LOG = LoggerFactory.getLogger(KeyManagement.class);

  private final KeyRoutes routes;
  private final ManagementAccess access;
  private final byte[] openApi;
  private final @Nullable LeakRoute leaks;

  private KeyManagement(Keygate keygate, ManagementAccess access, List<ScopeDescription> scopes,
      List<String> environments, @Nullable LeakReports leakReports) {
    this.access = access;
    this.routes = new KeyRoutes(keygate, List.copyOf(scopes), List.copyOf(environments));
    this.openApi = OpenApi.document();
    this.leaks = leakReports == null ? null : new LeakRoute(keygate.keys(), leakReports);
  }

  /**
   * A builder for the API of {@code keygate}'s keys.
   *
   * @param keygate the keys to manage, and the engine that authenticates callers
   * @return a builder with the defaults: access by keys holding {@code keys.admin}, the
   *     environments development, staging and production, no scope catalogue (any valid scope)
   */
  public static Builder builder(Keygate keygate) {
    return new Builder(Objects.requireNonNull(keygate, "keygate"));
  }

  /**
   * Whether {@code path} (below the base path) is one of this API's routes, for adapters that
   * share a path space with the application's own resources.
   *
   * @param path the path below the base path, starting with {@code /}
   * @return whether this API answers it
   */
  public static boolean owns(String path) {
    return path.equals("/keys") || path.startsWith("/keys/") || path.equals("/scopes")
        || path.equals("/environments") || path.equals("/session") || path.equals("/openapi.json");
  }

  /**
   * Whether this API answers {@code path} (below the base path): one of {@link #owns}'s routes, or
   * the leak-report route when it is configured.
   *
   * @param path the path below the base path, starting with {@code /}
   * @return whether this API answers it
   */
  public boolean answers(String path) {
    return owns(path) || (leaks != null && path.equals(LeakReports.PATH));
  }

  /**
   * Answers one request. Never throws for bad input: every refusal is a JSON answer, and a failure
   * inside is a 500 with no detail about it (logged), or 503 when the store is unreachable.
   *
   * @param request the request, with its path below the base path
   * @return the answer to write
   * @throws IOException if the body could not be read (the connection failed); a failure the
   *     container raised while reading it (its own body limit) is rethrown as it is, for the
   *     container to answer
   */
  public ManagementResponse handle(ManagementRequest request) throws IOException {
    try {
      return route(request);
    } catch (Bodies.Unreadable e) {
      // the connection's failure or the server's own body limit, not the client's JSON: the
      // container answers it as it answers any other request whose body it stopped
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw (RuntimeException) e.getCause();
    } catch (RuntimeException e) {
      return KeyRoutes.failure(e, LOG);
    } finally {
      Bodies.discardRest(request);
    }
  }

  private ManagementResponse route(ManagementRequest request) {
    String method = request.method(); // case-sensitive, as HTTP says
    String path = request.path();
    if (path.equals("/openapi.json")) {
      return method.equals("GET") ? Replies.raw(200, openApi, Map.of()) : notAllowed("GET");
    }
    if (leaks != null && path.equals(LeakReports.PATH)) {
      return leaks.handle(request, KeyRoutes.hasQuery(request)); // public: the report's signature is its credential
    }
    if (!owns(path)) {
      return Replies.error(404, "Not found.");
    }
    ManagementAccess.Decision decision = access.decide(request);
    if (decision instanceof ManagementAccess.Denied denied) {
      Map<String, String> headers = new LinkedHashMap<>(denied.headers());
      return Replies.raw(denied.status(), Replies.utf8(denied.body()), headers);
    }
    Manager caller = ((ManagementAccess.Granted) decision).manager();
    if (access.ambient() && method.equals("POST") && !Bodies.saysJson(request)) {
      // a cookie travels with another site's form post; a JSON content type needs a CORS preflight
      return Replies.error(415, "Content-Type: must be application/json.");
    }
    return routes.route(method, path, request, caller);
  }

  static ManagementResponse notAllowed(String allow) {
    return Replies.error(405, "Method Not Allowed.", Map.of("Allow", allow));
  }

  @Override
  public String toString() {
    return "KeyManagement[" + access + ", " + routes + (leaks == null ? "" : ", " + leaks) + "]";
  }

  /**
   * Configuration for {@link KeyManagement}. Each setting may be given once ({@link
   * IllegalStateException} otherwise).
   */
  public static final class Builder {
    private final Keygate keygate;
    private @Nullable ManagementAccess access;
    private @Nullable String adminScope;
    private final List<ScopeDescription> scopes = new ArrayList<>();
    private @Nullable List<String> environments;
    private @Nullable LeakReports leakReports;

    private Builder(Keygate keygate) {
      this.keygate = keygate;
    }

    /**
     * Who may manage which keys; default {@link ManagementAccess#apiKeys} with {@code keys.admin}.
     *
     * @param access the rule
     * @return this builder
     * @throws IllegalStateException if access or the admin scope was already given
     */
    public Builder access(ManagementAccess access) {
      requireUnset(this.access == null && adminScope == null, "access");
      this.access = Objects.requireNonNull(access, "access");
      return this;
    }

    /**
     * The scope that allows managing keys under the default access rule; default {@code keys.admin}.
     *
     * @param scope the scope
     * @return this builder
     * @throws IllegalArgumentException if it is not a plain valid scope
     * @throws IllegalStateException if access or the admin scope was already given
     */
    public Builder adminScope(String scope) {
      requireUnset(this.access == null && adminScope == null, "adminScope");
      this.access = ManagementAccess.apiKeys(keygate, scope);
      this.adminScope = scope;
      return this;
    }

    /**
     * Adds a scope to the catalogue. With a catalogue, a key may only be given scopes from it (or a
     * wildcard covering one of them); without one, any valid scope.
     *
     * @param name the scope
     * @param description what it allows, in words (the page shows it)
     * @return this builder
     * @throws IllegalArgumentException if the name is invalid or already in the catalogue
     */
    public Builder scope(String name, String description) {
      ScopeDescription s = new ScopeDescription(name, description);
      if (scopes.stream().anyMatch(e -> e.name().equals(name))) {
        throw new IllegalArgumentException("scope " + name + " is already in the catalogue");
      }
      scopes.add(s);
      return this;
    }

    /**
     * The environments the page offers and {@code GET /environments} lists; default development,
     * staging and production, or the key format's environments when it binds a prefix to each
     * ({@code KeyFormat.withEnvironments}). A key may still be given another (core's rule: 1 to 64
     * printable characters), as the specification allows free text, unless the key format binds
     * environments: then a key must be of one of them, and a key created without one is of the
     * first listed here.
     *
     * @param names the environments, in the order the page offers them
     * @return this builder
     * @throws IllegalArgumentException if none is given, one is blank or longer than 64
     *     characters, one is given twice, or the key format binds environments and one is not
     *     among them
     * @throws IllegalStateException if environments were already given
     */
    public Builder environments(String... names) {
      requireUnset(environments == null, "environments");
      if (names.length == 0) {
        throw new IllegalArgumentException("environments: give at least one");
      }
      List<String> list = List.of(names);
      for (String n : list) {
        if (n.isBlank() || n.length() > 64 || !n.strip().equals(n)) {
          throw new IllegalArgumentException("environments: not a valid name: '" + n + "'");
        }
      }
      if (list.stream().distinct().count() != list.size()) {
        throw new IllegalArgumentException("environments: a name is given twice");
      }
      List<String> bound = keygate.keys().format().environments();
      for (String n : list) {
        if (!bound.isEmpty() && !bound.contains(n)) {
          throw new IllegalArgumentException("environments: '" + n + "' is not one of the key format's " + bound);
        }
      }
      this.environments = list;
      return this;
    }

    /**
     * Adds the leak-report route, {@code POST <base>/secret-scanning/github}, for GitHub's secret
     * scanning partner program; without it the route does not exist (404).
     *
     * @param reports the public keys that sign reports, and what a report of a real key does
     * @return this builder
     * @throws IllegalStateException if leak reports were already given
     */
    public Builder leakReports(LeakReports reports) {
      requireUnset(leakReports == null, "leakReports");
      this.leakReports = Objects.requireNonNull(reports, "reports");
      return this;
    }

    /**
     * Builds the API; the builder may be used again.
     *
     * @return the API
     */
    public KeyManagement build() {
      ManagementAccess a = access != null ? access : ManagementAccess.apiKeys(keygate, "keys.admin");
      List<String> bound = keygate.keys().format().environments();
      List<String> e = environments != null ? environments
          : !bound.isEmpty() ? bound : List.of("development", "staging", "production");
      return new KeyManagement(keygate, a, scopes, e, leakReports);
    }

    private static void requireUnset(boolean unset, String setting) {
      if (!unset) {
        throw new IllegalStateException(setting + " is already set" + (setting.equals("access") || setting.equals("adminScope")
            ? " (access and adminScope exclude each other)" : ""));
      }
    }
  }

  /** Whether a requested scope is in {@code catalogue}, or a wildcard covering one of its scopes. */
  static boolean inCatalogue(List<ScopeDescription> catalogue, String scope) {
    if (catalogue.isEmpty()) {
      return true;
    }
    for (ScopeDescription s : catalogue) {
      if (s.name().equals(scope) || Scopes.grants(List.of(scope), s.name())) {
        return true;
      }
    }
    return false;
  }
}
