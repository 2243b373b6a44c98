package dev.keygate.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Fails any test during which a secret (a whole API key, a stored hash) reached a log line through
 * {@link SecretScanningAppender} (or anything else that called {@link SecretScanner#record}), or
 * the message of an exception the test threw. {@link ApiKeyStoreContractTest} registers it; to run
 * it on every test of a project, list it in {@code
 * src/test/resources/META-INF/services/org.junit.jupiter.api.extension.Extension} and set {@code
 * junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}.
 */
public final class NoSecretsInLogsExtension
    implements AfterEachCallback, AfterAllCallback, TestExecutionExceptionHandler {
  /** An extension that JUnit creates. */
  public NoSecretsInLogsExtension() {}

  /**
   * Fails the test that just ran if a secret was recorded during it.
   *
   * @param context the test's context
   * @throws AssertionError naming each secret found (masked) and where
   */
  @Override
  public void afterEach(ExtensionContext context) {
    check(context.getDisplayName());
  }

  /**
   * Fails the class if a secret was recorded in its set-up or tear-down.
   *
   * @param context the class's context
   * @throws AssertionError naming each secret found (masked) and where
   */
  @Override
  public void afterAll(ExtensionContext context) {
    check(context.getDisplayName() + " (set-up or tear-down)");
  }

  /**
   * Records secrets in the messages of what the test threw (assertion failures aside, whose
   * messages quote expected values), then rethrows it.
   *
   * @param context the test's context
   * @param thrown what the test threw
   * @throws Throwable {@code thrown}, always
   */
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
