package dev.keygate.sample.spring;

import dev.keygate.servlet.Refusals;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Request bodies of at most 64 KiB, as in the Jetty sample: a larger {@code Content-Length} is
 * answered 413 before anything reads the body, and a body without one stops being read at the
 * limit (413 too). It runs first, before Spring Security and Keygate, so no route, the public
 * signup included, parses an oversized body.
 */
@Configuration(proxyBeanMethods = false)
class BodyLimit {
  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final String TOO_LARGE = "{\"detail\":\"Request body too large.\"}";

  @Bean
  FilterRegistrationBean<OncePerRequestFilter> bodyLimitFilter() {
    FilterRegistrationBean<OncePerRequestFilter> r = new FilterRegistrationBean<>(new OncePerRequestFilter() {
      @Override
      protected void doFilterInternal(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
          throws ServletException, IOException {
        if (req.getContentLengthLong() > MAX_BODY_BYTES) {
          tooLarge(res);
          return;
        }
        try {
          chain.doFilter(req.getContentLengthLong() < 0 ? new Capped(req) : req, res);
        } catch (TooLarge e) {
          tooLarge(res);
        } catch (ServletException e) {
          if (!(e.getRootCause() instanceof TooLarge)) {
            throw e;
          }
          tooLarge(res);
        }
      }
    });
    r.setOrder(Ordered.HIGHEST_PRECEDENCE);
    r.addUrlPatterns("/*");
    return r;
  }

  /** Whether {@code e} or one of its causes is the limit's. */
  static boolean causedByLimit(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof TooLarge) {
        return true;
      }
    }
    return false;
  }

  static void tooLarge(HttpServletResponse res) throws IOException {
    // Connection: close, since the rest of the body is not read
    Refusals.write(res, 413, Map.of("Content-Type", "application/json", "Cache-Control", "no-store",
        "Connection", "close"), TOO_LARGE);
  }

  /**
   * Thrown past the limit, out of whatever is reading the body: an {@link IOException}, as a
   * container's own limit is, so a reader that passes those on (the management API) passes this on.
   */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("request body over " + MAX_BODY_BYTES + " bytes");
    }
  }

  /** A body of unknown length, read up to the limit. */
  private static final class Capped extends HttpServletRequestWrapper {
    private ServletInputStream capped;

    Capped(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (capped == null) {
        ServletInputStream in = super.getInputStream();
        capped = new ServletInputStream() {
          private long read;

          @Override
          public int read() throws IOException {
            int b = in.read();
            if (b >= 0 && ++read > MAX_BODY_BYTES) {
              throw new TooLarge();
            }
            return b;
          }

          @Override
          public int read(byte[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            if (n > 0 && (read += n) > MAX_BODY_BYTES) {
              throw new TooLarge();
            }
            return n;
          }

          @Override
          public boolean isFinished() {
            return in.isFinished();
          }

          @Override
          public boolean isReady() {
            return in.isReady();
          }

          @Override
          public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
          }
        };
      }
      return capped;
    }
  }
}
