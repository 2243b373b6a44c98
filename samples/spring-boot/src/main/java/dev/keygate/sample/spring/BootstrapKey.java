package dev.keygate.sample.spring;

import dev.keygate.ApiKeyService;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import java.io.PrintStream;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The {@code default} organization and its first admin key (full access), printed once to standard
 * output as {@code Bootstrap admin key: <key>} and logged nowhere. Resumable: a start that finds the
 * organization without any key (a first start that failed between the two steps, or every key of it
 * deleted) issues and prints one, so the key is never lost for good. It runs once every bean is
 * created and before the web server starts taking requests.
 */
@Component
class BootstrapKey implements SmartInitializingSingleton {
  static final String ORGANIZATION = "default";
  static final String LINE_PREFIX = "Bootstrap admin key: ";

  private final Organizations organizations;
  private final Keygate keygate;

  BootstrapKey(Organizations organizations, Keygate keygate) {
    this.organizations = organizations;
    this.keygate = keygate;
  }

  /** Before the web server starts: the key is there before the first request can arrive. */
  @Override
  public void afterSingletonsInstantiated() {
    ensure(System.out);
  }

  /**
   * Creates the organization if it is missing, then a key if it has none.
   *
   * @return whether a key was issued (and printed)
   */
  boolean ensure(PrintStream console) {
    ApiKeyService service = keygate.keys();
    organizations.create(ORGANIZATION, keygate.clock().instant()); // false when it exists: carry on to the key
    if (!service.list(service.query().withOwner(ORGANIZATION).withLimit(1)).items().isEmpty()) {
      return false;
    }
    IssuedKey admin = service.create(NewKey.named("bootstrap admin").withOwner(ORGANIZATION));
    console.println(LINE_PREFIX + admin.plaintext());
    console.flush();
    return true;
  }
}
