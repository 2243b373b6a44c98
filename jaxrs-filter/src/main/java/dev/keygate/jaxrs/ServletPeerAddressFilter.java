package dev.keygate.jaxrs;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Copies the TCP peer address of the servlet request into a request property before matching, for
 * {@link KeygateRequestFilter}. Registered by {@link KeygateFeature} only when the servlet API is
 * on the class path; off a servlet container it does nothing.
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION)
final class ServletPeerAddressFilter implements ContainerRequestFilter {
  @Context private @Nullable HttpServletRequest servletRequest;

  @Override
  public void filter(ContainerRequestContext request) {
    HttpServletRequest servlet = servletRequest;
    // null only off a servlet container; every runtime tested here runs on Jetty (PIT: not reachable)
    if (servlet != null) {
      // a supplier, not the value: the injected request is a proxy, and the address is needed only
      // for failures, allowlists and proxies (reading it on every request cost ~10 % of throughput)
      Supplier<@Nullable String> peer = () -> {
        try {
          return servlet.getRemoteAddr();
        } catch (RuntimeException notOnAServletContainer) {
          // null and "" both mean unknown to KeygateRequestFilter (PIT: equivalent)
          return null;
        }
      };
      request.setProperty(KeygateRequestFilter.PEER_ADDRESS_PROPERTY, peer);
    }
  }
}
