package dev.keygate.jaxrs;

import dev.keygate.AuthenticationEngine;
import dev.keygate.NewKey;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * With a single-prefix key format, environments are free text: {@code @RequireEnvironment} names
 * any, deploys, and compares it with the key's own.
 */
class JerseyFreeTextEnvironmentTest extends JaxRsContractSupport {
  @Override
  JaxRsRuntime runtime() {
    return new JerseyRuntime();
  }

  @Test
  void aKeyOfTheNamedEnvironmentPassesAndAnotherIsRefused() throws Exception {
    AuthenticationEngine engine = keygate().build().engine();
    JaxRsRuntime runtime = runtime();
    try {
      Application app = new Application() {
        @Override
        public Set<Class<?>> getClasses() {
          return EnvironmentResources.classes();
        }

        @Override
        @SuppressWarnings("deprecation")
        public Set<Object> getSingletons() {
          return Set.of(new KeygateFeature(engine));
        }
      };
      URI base = runtime.start(Map.of("/app", app)).resolve("/app/");
      String live = create(NewKey.named("live").withEnvironment("live")).plaintext();
      String other = create(NewKey.named("other").withEnvironment("a staging area")).plaintext();
      assertOk(get(base, "method/live", "X-API-Key", live), "live");
      assertRefused(get(base, "method/live", "X-API-Key", other), 403, EnvironmentContract.WRONG_ENVIRONMENT, null, null);
      assertOk(get(base, "method/any", "X-API-Key", other), "any");
    } finally {
      runtime.stop();
      engine.close();
    }
  }
}
