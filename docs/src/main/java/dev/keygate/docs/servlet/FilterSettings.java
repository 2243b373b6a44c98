package dev.keygate.docs.servlet;

import dev.keygate.Keygate;
import dev.keygate.servlet.KeygateFilter;

/** servlet-filter/README.md: the filter's own settings, beyond the quick start's. */
public final class FilterSettings {
  private FilterSettings() {}

  /** The filter the README builds, on {@code keygate}'s engine. */
  public static KeygateFilter filter(Keygate keygate) {
    // tag::servlet-filter-settings[]
    KeygateFilter filter = KeygateFilter.builder(keygate)
        .publicPaths("/health", "/signup")
        .allowPreflight(true)                                  // let CORS preflights through
        .scopeRule("GET /orders/*=orders.read")
        .scopeRule("POST,PUT,DELETE /orders/*=orders.write")
        .scopeRule("/reports/*=reports.read|admin")            // any one of the two
        .build();
    // end::servlet-filter-settings[]
    return filter;
  }
}
