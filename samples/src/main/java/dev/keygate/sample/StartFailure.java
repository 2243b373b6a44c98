package dev.keygate.sample;

import java.io.IOException;

/**
 * A start that cannot go on, with a message fit for one line of the console: what could not be
 * done, where, and what the system said.
 */
final class StartFailure extends RuntimeException {
  StartFailure(String message) {
    super(message, null, false, false); // an answer for the operator: no stack trace to fill
  }

  StartFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * {@code e}'s message, followed by its deepest cause's (what the disk or the driver said) when that
   * says something more; first lines only, so the result is one line.
   */
  static String oneLine(Throwable e) {
    String top = firstLine(e);
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String cause = root instanceof IOException io ? EmbeddedH2.reason(io) : firstLine(root);
    return root == e || top.contains(cause) ? top : top + ": " + cause;
  }

  private static String firstLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName();
    }
    int nl = m.indexOf('\n');
    return (nl < 0 ? m : m.substring(0, nl)).strip();
  }
}
