package dev.keygate.jdbc;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Under mutation testing, a wait for a condition gives up after {@code keygate.test.awaitTimeout}
 * (the pom gives PIT {@code PT3S}) instead of Awaitility's 10 s. A mutant that stops an event from
 * happening then fails its test before PIT's own timeout (1.25 times the test's time plus 4 s),
 * which would end the JVM and have PIT start another, and run every test class that covers the
 * mutated class once more before the next mutant. Without the property (surefire) nothing changes.
 * Registered for every test class of this module (META-INF/services; keygate-test-support's
 * junit-platform.properties turns on extension auto-detection).
 */
public final class AwaitTimeoutExtension implements BeforeAllCallback {
  /** The system property that sets the default deadline of {@code await()}, ISO-8601. */
  static final String PROPERTY = "keygate.test.awaitTimeout";

  @Override
  public void beforeAll(ExtensionContext context) {
    String timeout = System.getProperty(PROPERTY);
    if (timeout != null) {
      Awaitility.setDefaultTimeout(Duration.parse(timeout));
    }
  }
}
