package dev.keygate.jaxrs;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
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
    String peer;
    try {
      peer = servletRequest == null ? null : servletRequest.getRemoteAddr();
    } catch (RuntimeException notOnAServletContainer) {
      return;
    }
    if (peer != null) {
      request.setProperty(KeygateRequestFilter.PEER_ADDRESS_PROPERTY, peer);
    }
  }
}
