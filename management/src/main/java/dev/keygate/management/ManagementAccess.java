package dev.keygate.management;

import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.Keygate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who may manage which keys. The default, {@link #apiKeys(Keygate, String)}, lets a key (or a
 * Bearer token) of an organization that holds the management scope manage that organization's
 * keys; {@link #sessions(Function)} lets the host application's own sign-in decide instead.
 */
@FunctionalInterface
public interface ManagementAccess {

  /**
   * Decides whether the request may manage keys, and for which organization.
   *
   * @param request the request to the management API
   * @return {@link Granted} with the caller, or {@link Denied} with the answer to send
   */
  Decision decide(ManagementRequest request);

  /**
   * Whether this access is carried by something a browser sends on its own (a session cookie).
   * Then every {@code POST} must say {@code Content-Type: application/json} and no request may
   * come from another site's form, which a browser could send with the cookie (CSRF).
   *
   * @return true for cookie sessions; false for keys and tokens sent by the caller explicitly
   */
  default boolean ambient() {
    return false;
  }

  /** The outcome of {@link #decide}. */
  sealed interface Decision permits Granted, Denied {}

  /**
   * The caller may manage the keys of {@code manager.organization()}.
   *
   * @param manager who is calling
   */
  record Granted(Manager manager) implements Decision {
    /**
     * Checks the manager is present.
     *
     * @param manager who is calling
     */
    public Granted {
      Objects.requireNonNull(manager, "manager");
    }
  }

  /**
   * The caller may not; the answer to send.
   *
   * @param status the HTTP status (401, 403, 429, 503)
   * @param body the JSON body ({@code {"detail": ...}})
   * @param headers extra headers ({@code WWW-Authenticate}, {@code Retry-After})
   */
  record Denied(int status, String body, Map<String, String> headers) implements Decision {
    /**
     * Copies the headers.
     *
     * @param status the HTTP status
     * @param body the JSON body
     * @param headers extra headers
     */
    public Denied {
      Objects.requireNonNull(body, "body");
      headers = Map.copyOf(headers);
    }

    /**
     * Keygate's own refusal, with its status, body and headers.
     *
     * @param refused what the engine decided
     * @return the same answer
     */
    public static Denied of(Refused refused) {
      return new Denied(refused.status(), refused.body(), refused.headers());
    }
  }

  /**
   * The default: the caller presents an API key (or a Bearer token, when the engine accepts them)
   * of an organization, holding {@code adminScope} or full access, and manages that organization's
   * keys; another organization's keys are absent to it. When a Keygate filter in front has already
   * authenticated the request, its principal is used as it is.
   *
   * @param keygate the engine that authenticates the caller
   * @param adminScope the scope that allows managing keys ({@code keys.admin})
   * @return the access rule
   * @throws IllegalArgumentException if {@code adminScope} is not a valid scope
   */
  static ManagementAccess apiKeys(Keygate keygate, String adminScope) {
    return new KeyAccess(keygate.engine(), adminScope);
  }

  /**
   * The host application's own sign-in: {@code signedIn} returns the manager for a request whose
   * session is signed in (read the session from the principal or cookies), or empty, which is
   * answered 401. Sessions travel in cookies, so {@link #ambient()} is true and the CSRF rule
   * applies.
   *
   * @param signedIn the manager of a signed-in request, or empty
   * @return the access rule
   */
  static ManagementAccess sessions(Function<ManagementRequest, Optional<Manager>> signedIn) {
    Objects.requireNonNull(signedIn, "signedIn");
    return new ManagementAccess() {
      @Override
      public Decision decide(ManagementRequest request) {
        return signedIn.apply(request).<Decision>map(Granted::new)
            .orElseGet(() -> new Denied(401, "{\"detail\":\"Sign in to manage API keys.\"}", Map.of()));
      }

      @Override
      public boolean ambient() {
        return true;
      }
    };
  }
}
