package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.GenericServlet;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/**
 * Requests and responses as other containers or earlier filters may present them (the servlet spec
 * allows each): headers withheld, a null servlet path, an empty path, a small response buffer. An
 * earlier filter plays that part in front of Keygate on Jetty.
 */
class WrappedRequestTest extends FilterTestBase {

  @Test
  void containerThatWithholdsHeadersGets401NotAnError() {
    // "If the container does not allow access to header information, return null"
    TestServer s = serveBehind(req -> new HttpServletRequestWrapper(req) {
      @Override
      public Enumeration<String> getHeaders(String name) {
        return null;
      }
    });

    assertRefused(s.get("/orders", "X-API-Key", keys.key()), 401, NO_CREDENTIALS, CHALLENGE, null);
  }

  @Test
  void nullServletPathIsMatchedOnThePathInfo() {
    TestServer s = serveBehind(req -> new HttpServletRequestWrapper(req) {
      @Override
      public String getServletPath() {
        return null;
      }
    });

    assertEchoed(s.get("/health"));
    assertRefused(s.get("/orders"), 401, NO_CREDENTIALS, CHALLENGE, null);
  }

  @Test
  void emptyPathIsTheRoot() {
    TestServer s = serveBehind(req -> new HttpServletRequestWrapper(req) {
      @Override
      public String getServletPath() {
        return "";
      }

      @Override
      public String getPathInfo() {
        return null;
      }
    });

    // every request now looks like one for "/", which is public here
    assertEchoed(s.get("/orders"));
  }

  @Test
  void requestWrappedAsPlainServletRequestNeverReachesTheServlet() {
    // an earlier filter that wraps in ServletRequestWrapper hides the HTTP headers from Keygate:
    // passing such a request on would let it in unauthenticated
    TestServer s = servePlainBehind((req, res, chain) -> chain.doFilter(new ServletRequestWrapper(req), res));

    HttpResponse<String> r = s.get("/plain/orders");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(r.body()).doesNotContain("served").doesNotContain("Exception");
  }

  @Test
  void responseWrappedAsPlainServletResponseNeverReachesTheServlet() {
    // Keygate could not answer such a response with a status: it fails the request instead
    TestServer s = servePlainBehind((req, res, chain) -> chain.doFilter(req, new ServletResponseWrapper(res)));

    HttpResponse<String> r = s.get("/plain/orders", "X-API-Key", keys.key());

    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).doesNotContain("served");
  }

  /**
   * A GenericServlet (which, unlike an HttpServlet, serves any request) under {@code /plain},
   * behind {@code wrapping}, then Keygate.
   */
  private TestServer servePlainBehind(Filter wrapping) {
    engine = keys.keygate().build().engine();
    GenericServlet plain = new GenericServlet() {
      @Override
      public void service(ServletRequest req, ServletResponse res) throws IOException {
        res.getWriter().write("served");
      }
    };
    server = TestServer.startContext(ctx -> {
      ctx.addServlet(new ServletHolder(plain), "/plain/*");
      ctx.addFilter(new FilterHolder(wrapping), "/*", EnumSet.of(DispatcherType.REQUEST));
      ctx.addFilter(new FilterHolder(KeygateFilter.builder(engine).build()), "/*",
          EnumSet.of(DispatcherType.REQUEST));
    });
    return server;
  }

  @Test
  void refusalCarriesItsLengthEvenWhenTheResponseBufferIsSmall() {
    engine = keys.keygate().build().engine();
    Filter smallBuffer = (req, res, chain) -> {
      res.setBufferSize(16);
      chain.doFilter(req, res);
    };
    server = TestServer.startContext(ctx -> {
      ctx.addFilter(new FilterHolder(smallBuffer), "/*", EnumSet.of(DispatcherType.REQUEST));
      ctx.addFilter(new FilterHolder(KeygateFilter.builder(engine).build()), "/*",
          EnumSet.of(DispatcherType.REQUEST));
    });

    HttpResponse<String> r = server.get("/orders");

    assertRefused(r, 401, NO_CREDENTIALS, CHALLENGE, null);
    assertThat(r.headers().firstValue("Content-Length")).contains(String.valueOf(NO_CREDENTIALS.length()));
  }

  /**
   * The echo servlets behind a filter that wraps each request with {@code wrap}, then Keygate with
   * {@code /health} and {@code /} public.
   */
  private TestServer serveBehind(UnaryOperator<HttpServletRequest> wrap) {
    engine = keys.keygate().build().engine();
    Filter wrapping = (req, res, chain) -> chain.doFilter(wrap.apply((HttpServletRequest) req), res);
    server = TestServer.startContext(ctx -> {
      ctx.addFilter(new FilterHolder(wrapping), "/*", EnumSet.of(DispatcherType.REQUEST));
      ctx.addFilter(new FilterHolder(KeygateFilter.builder(engine).publicPaths("/health", "/").build()), "/*",
          EnumSet.of(DispatcherType.REQUEST));
    });
    return server;
  }
}
