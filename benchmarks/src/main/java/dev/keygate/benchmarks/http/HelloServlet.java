package dev.keygate.benchmarks.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The tiny endpoint every servlet variant serves: {@code hello}, as plain text. */
public final class HelloServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  static final byte[] BODY = "hello\n".getBytes(StandardCharsets.US_ASCII);

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    res.setContentType("text/plain");
    res.setContentLength(BODY.length);
    res.getOutputStream().write(BODY);
  }
}
