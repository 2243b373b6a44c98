package dev.keygate.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An async servlet. {@code /async/complete}: answers from another thread through the request it
 * was given. {@code /async/dispatch}: dispatches back to itself from another thread and answers
 * on the ASYNC dispatch.
 */
public class AsyncEchoServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (req.getDispatcherType() == DispatcherType.ASYNC) {
      EchoServlet.write(req, resp);
      return;
    }
    AsyncContext async = req.startAsync();
    if ("/dispatch".equals(req.getPathInfo())) {
      async.start(async::dispatch);
      return;
    }
    async.start(() -> {
      try {
        EchoServlet.write(req, (HttpServletResponse) async.getResponse());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        async.complete();
      }
    });
  }
}
