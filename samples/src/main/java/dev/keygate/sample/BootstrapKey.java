package dev.keygate.sample;

import dev.keygate.ApiKeyService;
import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import java.io.PrintStream;
import java.time.Instant;

/**
 * The {@code default} organization and its first admin key, printed once to the console and
 * logged nowhere. Resumable: the organization is created first, and a start that finds it without
 * any key (a first start that failed between the two steps, or every key of it deleted) issues and
 * prints one, so the key is never lost for good.
 */
final class BootstrapKey {
  static final String ORGANIZATION = "default";
  static final String LINE_PREFIX = "Bootstrap admin key: ";

  private BootstrapKey() {}

  /**
   * Creates the organization if it is missing, then a key if it has none.
   *
   * @return whether a key was issued (and printed)
   */
  static boolean ensure(Organizations organizations, ApiKeyService service, Instant now, PrintStream console) {
    organizations.create(ORGANIZATION, now); // false when it exists: carry on to the key
    boolean hasKey = !service.list(service.query().withOwner(ORGANIZATION).withLimit(1)).items().isEmpty();
    if (hasKey) {
      return false;
    }
    // full access (no scopes), as the specification says: the first key must be able to grant every scope
    IssuedKey admin = service.create(NewKey.named("bootstrap admin").withOwner(ORGANIZATION)
        .withEnvironment(SampleApp.LIVE));
    console.println(LINE_PREFIX + admin.plaintext());
    console.flush();
    return true;
  }
}
