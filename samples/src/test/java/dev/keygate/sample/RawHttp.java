package dev.keygate.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP/1.1 over a plain socket, for requests that HTTP clients refuse to send (TRACE, garbage
 * request lines and headers, bodies larger than they say). Every request asks the server to close,
 * so the answer is read to the end.
 */
final class RawHttp {
  private RawHttp() {}

  record Answer(int status, String head, String body) {
    /** A response header's value (the first), by case-insensitive name. */
    Optional<String> header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      return head.lines().skip(1).filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
          .map(l -> l.substring(prefix.length()).strip()).findFirst();
    }
  }

  /** A request from a request line, header lines and an optional body (its Content-Length added). */
  static byte[] request(String requestLine, String body, String... headerLines) {
    StringBuilder sb = new StringBuilder(requestLine).append("\r\nHost: localhost\r\nConnection: close\r\n");
    for (String h : headerLines) {
      sb.append(h).append("\r\n");
    }
    if (body != null) {
      sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
    }
    sb.append("\r\n");
    if (body != null) {
      sb.append(body);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Sends the bytes and reads the whole answer. */
  static Answer send(int port, byte[]... parts) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      for (byte[] part : parts) {
        out.write(part);
      }
      out.flush();
      InputStream in = s.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int split = response.indexOf("\r\n\r\n");
      String head = split < 0 ? response : response.substring(0, split);
      String body = split < 0 ? "" : response.substring(split + 4);
      return new Answer(Integer.parseInt(head.substring(9, 12)), head, body);
    }
  }
}
