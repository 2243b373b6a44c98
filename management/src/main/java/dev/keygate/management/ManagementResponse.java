package dev.keygate.management;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the management API answers; the adapter writes it out as it is.
 */
public final class ManagementResponse {
  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  ManagementResponse(int status, Map<String, String> headers, byte[] body) {
    this.status = status;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.body = body;
  }

  /**
   * The HTTP status.
   *
   * @return the status code
   */
  public int status() {
    return status;
  }

  /**
   * The headers to send, {@code Content-Type} included when there is a body.
   *
   * @return header names and values
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * The body; may carry a new key's plaintext, so it is never logged.
   *
   * @return a copy of the body's bytes, empty for none
   */
  public byte[] body() {
    return body.clone();
  }

  /**
   * The body as text, for tests.
   *
   * @return the body decoded as UTF-8
   */
  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "ManagementResponse[" + status + ", " + body.length + " bytes]"; // never the body: it may hold a key
  }
}
