package dev.keygate.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import dev.keygate.testing.LogCapture;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.Test;

/** What the filter does before it is initialised and when it is destroyed, and whose engine it closes. */
class FilterLifecycleTest extends FilterTestBase {
  private static final String UNAVAILABLE = "{\"detail\":\"Authentication service temporarily unavailable.\"}";

  @Test
  void filterNobodyInitialisedAnswers503AndIsDestroyedQuietly() {
    KeygateFilter neverInitialised = new KeygateFilter();
    assertThat(neverInitialised).hasToString("KeygateFilter[not initialised]");
    // a proxy such as Spring's DelegatingFilterProxy (without targetFilterLifecycle) calls a filter
    // bean the container never saw: no init(), but requests, and here a destroy() at the end
    server = TestServer.startContext(ctx -> ctx.addFilter(new FilterHolder(new Delegating(neverInitialised)), "/*",
        EnumSet.of(DispatcherType.REQUEST)));

    try (LogCapture logs = new LogCapture()) {
      assertRefused(server.get("/orders"), 503, UNAVAILABLE, null, "1");
      server.close();
      server = null;

      assertThat(logs.lines()).anyMatch(l -> l.contains("KeygateFilter used before init(); answering 503"));
      assertThat(logs.text()).doesNotContain("Exception");
    }
  }

  @Test
  void destroyingAProgrammaticFilterLeavesTheCallersEngineListening() {
    IssuedKey issued = keys.create(NewKey.named("n"));
    engine = keys.keygate().build().engine();
    TestServer first = TestServer.start(KeygateFilter.builder(engine).build());
    assertEchoed(first.get("/orders", "X-API-Key", issued.plaintext()));
    first.close(); // destroys the filter, not the engine the caller owns

    server = TestServer.start(KeygateFilter.builder(engine).build());
    assertEchoed(server.get("/orders", "X-API-Key", issued.plaintext()));
    keys.service.revoke(issued.key().id());

    // still listening to the store: the revocation reaches the engine's cache at once
    assertRefused(server.get("/orders", "X-API-Key", issued.plaintext()), 401,
        "{\"detail\":\"API key has been revoked.\"}", CHALLENGE, null);
  }

  /** Calls its target's doFilter and destroy, never its init. */
  private record Delegating(Filter target) implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      target.doFilter(request, response, chain);
    }

    @Override
    public void destroy() {
      target.destroy();
    }
  }
}
