package dev.keygate.management;

import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request to the management API, as the adapter ({@link KeyManagementServlet}, {@link
 * KeyManagementFeature}) sees it. Implement it only to mount the API in another framework.
 */
public interface ManagementRequest {
  /**
   * The HTTP method, upper case.
   *
   * @return the method
   */
  String method();

  /**
   * The path below the API's base path, decoded, starting with {@code /} ({@code /keys/AbC}), or
   * empty for the base itself.
   *
   * @return the path within the API
   */
  String path();

  /**
   * Every value of a query parameter, in order.
   *
   * @param name the parameter's name
   * @return its values; empty when absent
   */
  List<String> query(String name);

  /**
   * The names of every query parameter present.
   *
   * @return the names
   */
  Iterable<String> queryNames();

  /**
   * Every value of a header, in order; the name is case-insensitive.
   *
   * @param name the header's name
   * @return its values; empty when absent
   */
  List<String> headers(String name);

  /**
   * The address of the peer that connected (the proxy, behind one).
   *
   * @return the peer's IP address
   */
  String peerAddress();

  /**
   * Whether the request arrived over TLS.
   *
   * @return whether the connection is secure
   */
  boolean secure();

  /**
   * Who the host application says is calling (its session's user, or a principal a Keygate
   * filter in front already set), or null.
   *
   * @return the container's principal, or null
   */
  @Nullable Principal principal();

  /**
   * The request body.
   *
   * @return the body's bytes as they arrive
   * @throws IOException if it cannot be read
   */
  InputStream body() throws IOException;
}
