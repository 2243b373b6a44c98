package dev.keygate.docs.jaxrs;

import dev.keygate.Keygate;
import dev.keygate.jaxrs.KeygateFeature;
import org.glassfish.jersey.server.ResourceConfig;

/** jaxrs-filter/README.md, "Bearer tokens": Keygate leaves the tokens to {@link MyTokenFilter}. */
public class BearerApplication extends ResourceConfig {
  /** The orders, behind Keygate and the application's token filter. */
  public BearerApplication(Keygate keygate) {
    super(OrdersResource.class);
    // tag::jaxrs-token-filter-registration[]
    register(KeygateFeature.builder(keygate).deferBearerTokens(true).build());
    register(MyTokenFilter.class);
    // end::jaxrs-token-filter-registration[]
  }
}
