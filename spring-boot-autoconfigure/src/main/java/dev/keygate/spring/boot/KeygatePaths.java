package dev.keygate.spring.boot;

import java.util.List;

/** Path settings as servlet mappings and Spring Security patterns. */
final class KeygatePaths {
  private KeygatePaths() {}

  /** {@code /keygate/api/} or {@code /keygate/api} as {@code /keygate/api}; refuses what is not an absolute path. */
  static String base(String path) {
    String p = path.strip();
    if (!p.startsWith("/") || p.contains("*") || p.contains("//")) {
      throw new IllegalStateException("a Keygate path must be an absolute path without wildcards, such as /keygate/api; got '" + path + "'");
    }
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  /** The servlet mapping of everything under {@code path}. */
  static String mapping(String path) {
    return base(path) + "/*";
  }


  /** The API Keys page's paths as a path pattern (servlet syntax); empty when the page is off. */
  static List<String> pagePatterns(KeygateProperties properties) {
    KeygateProperties.Management m = properties.getManagement();
    return m.isEnabled() && m.getPage().isEnabled() ? List.of(mapping(m.getPage().getPath())) : List.of();
  }
}
