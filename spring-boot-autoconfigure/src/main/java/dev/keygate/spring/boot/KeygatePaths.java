package dev.keygate.spring.boot;

import java.util.ArrayList;
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


  /** The paths Keygate's own servlets serve, as path patterns (servlet syntax); empty when management is off. */
  static List<String> managementPatterns(KeygateProperties properties) {
    List<String> out = new ArrayList<>();
    KeygateProperties.Management m = properties.getManagement();
    if (m.isEnabled()) {
      out.add(mapping(m.getPath()));
      if (m.getPage().isEnabled()) {
        out.add(mapping(m.getPage().getPath()));
      }
    }
    return out;
  }
}
