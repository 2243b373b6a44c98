package dev.keygate.docs.jaxrs;

import dev.keygate.IssuedKey;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.jaxrs.KeygateClientFilter;
import dev.keygate.jaxrs.KeygateFeature;
import dev.keygate.memory.InMemoryApiKeyStore;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import org.glassfish.jersey.server.ResourceConfig;

/** jaxrs-filter/README.md: the quick start's steps and the settings, each a method a test calls. */
public final class JaxRsSetup {
  private JaxRsSetup() {}

  /** Step 1. */
  public static Keygate keygate() {
    // tag::jaxrs-keygate[]
    Keygate keygate = Keygate.builder()
        .store(new InMemoryApiKeyStore())                 // or JdbcApiKeyStore
        .keyFormat(KeyFormat.withPrefix("kg_live"))
        .build();
    // end::jaxrs-keygate[]
    return keygate;
  }

  /** Step 2, with Jersey. */
  public static ResourceConfig jersey(Keygate keygate) {
    // tag::jaxrs-jersey[]
    ResourceConfig config = new ResourceConfig(OrdersResource.class, HealthResource.class)
        .register(new KeygateFeature(keygate));
    // end::jaxrs-jersey[]
    return config;
  }

  /** Step 3. */
  public static IssuedKey issue(Keygate keygate) {
    // tag::jaxrs-issue-key[]
    IssuedKey issued = keygate.keys().create(NewKey.named("shop backend").withScopes("orders.read"));
    // curl -H "X-API-Key: <issued.plaintext()>" http://localhost:8080/orders/1
    // end::jaxrs-issue-key[]
    return issued;
  }

  /** The feature's settings, at their defaults but for the peer address. */
  public static KeygateFeature feature(Keygate keygate) {
    // tag::jaxrs-feature-settings[]
    KeygateFeature feature = KeygateFeature.builder(keygate)
        .allowPreflight(true)                       // let CORS preflights through (default: false)
        .peerAddress(request -> (String) request.getProperty("peer.address")) // off servlet containers
        .deferBearerTokens(false)                   // Bearer tokens the engine cannot verify: 401 (default)
        .build();
    // end::jaxrs-feature-settings[]
    return feature;
  }

  /** The client filter, from {@code KEYGATE_API_KEY} or {@code .env}. */
  public static Client client() {
    // tag::jaxrs-client[]
    Client client = ClientBuilder.newClient().register(KeygateClientFilter.fromEnvironment());
    // end::jaxrs-client[]
    return client;
  }

  /** The client filter with another variable, header and prefix. */
  public static KeygateClientFilter avalaClientFilter() {
    // tag::jaxrs-client-builder[]
    KeygateClientFilter filter = KeygateClientFilter.builder()
        .environmentVariable("AVALA_KEY")
        .header("X-Avala-Api-Key")
        .format(KeyFormat.withPrefix("avl"))
        .build();
    // end::jaxrs-client-builder[]
    return filter;
  }
}
