package dev.keygate.benchmarks.http;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/** One request by hand before any load, so a misconfigured endpoint fails loudly, not fast. */
final class Probe {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Probe() {}

  /** Each endpoint answers 200 with its credentials, and 401 without when it has any. */
  static void expectAll(List<Endpoint> endpoints) throws IOException, InterruptedException {
    for (Endpoint e : endpoints) {
      expect(e.uri(), e.headers(), 200);
      if (!e.headers().isEmpty()) {
        expect(e.uri(), Map.of(), 401);
      }
    }
  }

  static int status(URI uri, Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET();
    headers.forEach(b::header);
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static void expect(URI uri, Map<String, String> headers, int expected)
      throws IOException, InterruptedException {
    int got = status(uri, headers);
    if (got != expected) {
      throw new IllegalStateException(uri + " with headers " + headers.keySet() + " answered " + got
          + ", expected " + expected);
    }
  }
}
