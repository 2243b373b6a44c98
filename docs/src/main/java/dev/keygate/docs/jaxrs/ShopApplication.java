package dev.keygate.docs.jaxrs;

import dev.keygate.Keygate;
import dev.keygate.jaxrs.KeygateFeature;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/** jaxrs-filter/README.md: the feature registered through a plain {@code Application}. */
// tag::jaxrs-application[]
public class ShopApplication extends Application {
  private final Keygate keygate;

  public ShopApplication(Keygate keygate) {
    this.keygate = keygate;
  }

  @Override
  public Set<Class<?>> getClasses() {
    return Set.of(OrdersResource.class, HealthResource.class);
  }

  @Override
  public Set<Object> getSingletons() {
    return Set.of(new KeygateFeature(keygate));
  }
}
// end::jaxrs-application[]
