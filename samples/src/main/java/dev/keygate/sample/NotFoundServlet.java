package dev.keygate.sample;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Every path no route claims, whatever the method: 404 (Jetty's own default servlet answers 405 to
 * a {@code DELETE} of a path that does not exist). The body comes from the JSON error pages.
 */
final class NotFoundServlet extends HttpServlet {
  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.sendError(HttpServletResponse.SC_NOT_FOUND);
  }
}
