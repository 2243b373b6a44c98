package dev.keygate.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A real Jetty 12 (ee10) on an ephemeral port, and the two ways tests talk to it. */
final class TestServer implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private final Server server;
  private final int port;

  private TestServer(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /** {@link EchoServlet} at {@code /*} and {@link AsyncEchoServlet} at {@code /async/*} behind {@code filter}. */
  static TestServer start(Filter filter) {
    return start(filter, EnumSet.of(DispatcherType.REQUEST));
  }

  /** Like {@link #start(Filter)}, with the filter registered for {@code dispatches}. */
  static TestServer start(Filter filter, EnumSet<DispatcherType> dispatches) {
    return startContext(ctx -> {
      FilterHolder holder = new FilterHolder(filter);
      holder.setAsyncSupported(true);
      ctx.addFilter(holder, "/*", dispatches);
    });
  }

  /** The echo servlets in a context that {@code setup} completes (filters, attributes). */
  static TestServer startContext(Consumer<ServletContextHandler> setup) {
    ServletContextHandler ctx = new ServletContextHandler("/");
    ctx.addServlet(new ServletHolder(new EchoServlet()), "/*");
    ServletHolder async = new ServletHolder(new AsyncEchoServlet());
    async.setAsyncSupported(true);
    ctx.addServlet(async, "/async/*");
    setup.accept(ctx);
    return start(ctx);
  }

  /** Serves {@code handler}, with room for the 10 KB header tests. */
  static TestServer start(Handler handler) {
    return start(handler, 32 * 1024);
  }

  /** Serves {@code handler}, accepting request headers up to {@code headerBytes}. */
  static TestServer start(Handler handler, int headerBytes) {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(headerBytes);
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(handler);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException("Jetty did not start", e);
    }
    return new TestServer(server, connector.getLocalPort());
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port + pathAndQuery);
  }

  /** A GET with header name/value pairs. */
  HttpResponse<String> get(String pathAndQuery, String... headers) {
    return send("GET", pathAndQuery, headers);
  }

  /** A bodiless request with header name/value pairs, over java.net.http. */
  HttpResponse<String> send(String method, String pathAndQuery, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A GET written byte for byte, for headers java.net.http refuses to send. */
  Raw raw(String path, List<byte[]> headerLines) {
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    for (byte[] line : headerLines) {
      req.writeBytes(line);
      req.writeBytes(new byte[] {'\r', '\n'});
    }
    req.writeBytes(new byte[] {'\r', '\n'});
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(req.toByteArray());
      out.flush();
      InputStream in = s.getInputStream();
      return Raw.parse(in.readAllBytes());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Like {@link #raw(String, List)} with header lines as ISO-8859-1 text. */
  Raw raw(String path, String... headerLines) {
    return raw(path, java.util.Arrays.stream(headerLines)
        .map(l -> l.getBytes(StandardCharsets.ISO_8859_1)).toList());
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }

  /** A response read off a socket: status, headers (names lower case, last value wins) and body. */
  record Raw(int status, Map<String, String> headers, String body) {
    static Raw parse(byte[] bytes) {
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end);
      String body = end < 0 ? "" : new String(bytes, end + 4, bytes.length - end - 4, StandardCharsets.UTF_8);
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).strip());
      }
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        body = dechunk(body);
      }
      return new Raw(status, headers, body);
    }

    private static String dechunk(String chunked) {
      StringBuilder out = new StringBuilder();
      int i = 0;
      while (i < chunked.length()) {
        int eol = chunked.indexOf("\r\n", i);
        int size = Integer.parseInt(chunked.substring(i, eol).strip(), 16);
        if (size == 0) {
          break;
        }
        out.append(chunked, eol + 2, eol + 2 + size);
        i = eol + 2 + size + 2;
      }
      return out.toString();
    }
  }
}
