package dev.keygate.docs.servlet;

import dev.keygate.KeygatePrincipal;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * servlet-filter/README.md, "In the servlet": what a servlet behind the filter sees, one value a
 * line, so that a test holds each README comment to what the request says.
 */
public class WhoAmIServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    // tag::servlet-request[]
    KeygatePrincipal caller = (KeygatePrincipal) req.getUserPrincipal(); // or the attribute below
    Object same = req.getAttribute("dev.keygate.principal");   // the same KeygatePrincipal
    boolean reads = req.isUserInRole("orders.read");           // true when the caller holds the scope
    boolean anyone = req.isUserInRole("**");                   // true for any authenticated caller (servlet spec)
    String scheme = req.getAuthType();                         // "API_KEY" or "BEARER"
    String who = req.getRemoteUser();                          // the key id, or the Bearer token's subject
    // end::servlet-request[]
    resp.setContentType("text/plain");
    resp.getWriter().print("key id: " + caller.keyId() + "\nsame: " + (same == caller) + "\norders.read: " + reads
        + "\n**: " + anyone + "\nauth type: " + scheme + "\nremote user: " + who + "\n");
  }
}
