package dev.keygate.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Fails any test during which a secret (a whole API key, a stored hash) reached a log line through
 * {@link SecretScanningAppender}, or the message of an exception the test threw. Registered for
 * every test by JUnit's extension auto-detection (enabled in the root pom's surefire settings).
 */
public final class NoSecretsInLogsExtension implements AfterEachCallback, AfterAllCallback, TestExecutionExceptionHandler {
  @Override
  public void afterEach(ExtensionContext context) {
    check(context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    check(context.getDisplayName() + " (set-up or tear-down)");
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !(t instanceof AssertionError)) {
        SecretScanner.record("the message of " + t.getClass().getName(), t.getMessage());
      }
    }
    throw thrown;
  }

  private static void check(String where) {
    List<String> found = SecretScanner.drain();
    if (!found.isEmpty()) {
      throw new AssertionError("secrets leaked during " + where + ": " + found);
    }
  }
}
