package dev.keygate.management;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The API's OpenAPI 3.1 description, a resource of this jar. */
final class OpenApi {
  static final String RESOURCE = "/dev/keygate/management/openapi.json";

  private OpenApi() {}

  static byte[] document() {
    try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + RESOURCE);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
