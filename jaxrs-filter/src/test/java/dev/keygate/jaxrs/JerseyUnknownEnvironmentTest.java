package dev.keygate.jaxrs;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keygate.AuthenticationEngine;
import dev.keygate.KeyFormat;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Application;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An environment the key format does not bind fails deployment (Jersey: Jetty then does not start it). */
class JerseyUnknownEnvironmentTest extends JaxRsContractSupport {
  @Override
  KeyFormat keyFormat() {
    Map<String, String> prefixes = new LinkedHashMap<>();
    prefixes.put("test", "kg_test");
    prefixes.put("live", "kg_live");
    return KeyFormat.withEnvironments(prefixes);
  }

  @Override
  JaxRsRuntime runtime() {
    return new JerseyRuntime();
  }

  @Path("typo")
  public static class Typo {
    @GET @RequireEnvironment("lvie")
    public String get() {
      return "never";
    }
  }

  @Test
  void anEnvironmentTheKeyFormatLacksFailsDeployment() throws Exception {
    AuthenticationEngine engine = keygate().build().engine();
    JaxRsRuntime runtime = runtime();
    try {
      Application app = new Application() {
        @Override
        public Set<Class<?>> getClasses() {
          return Set.of(Typo.class);
        }

        @Override
        @SuppressWarnings("deprecation")
        public Set<Object> getSingletons() {
          return Set.of(new KeygateFeature(engine));
        }
      };
      assertThatThrownBy(() -> runtime.start(Map.of("/app", app)))
          .hasStackTraceContaining("@RequireEnvironment(\"lvie\") on ")
          .hasStackTraceContaining(": not one of the key format's environments [test, live]");
    } finally {
      runtime.stop();
      engine.close();
    }
  }
}
