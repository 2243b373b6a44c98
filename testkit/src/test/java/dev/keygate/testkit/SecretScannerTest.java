package dev.keygate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.KeyFormat;
import dev.keygate.ParsedKey;
import dev.keygate.hash.Argon2idHasher;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The leak detector itself: it must see keys and hashes in logs, and nothing else. */
class SecretScannerTest {
  @Test
  void recognisesWholeKeysOfAnyPrefixAndStoredHashes() {
    for (String prefix : new String[] {"kg_live", "avl", "avala_sk", "ak_avalon"}) {
      ParsedKey k = KeyFormat.withPrefix(prefix).generate();
      assertThat(SecretScanner.secretsIn("header was " + k.plaintext() + ".")).hasSize(1);
      assertThat(SecretScanner.secretsIn("masked " + k.masked())).isEmpty();
    }
    String hash = Argon2idHasher.builder().memoryKib(1024).iterations(1).parallelism(1).build()
        .hash("x".getBytes(StandardCharsets.US_ASCII));
    assertThat(SecretScanner.secretsIn("stored " + hash)).hasSize(1);
    assertThat(SecretScanner.secretsIn("kg_live_" + "A".repeat(50))).as("bad checksum: not a key").isEmpty();
  }

  @Test
  void everyLogLineOfATestRunIsScanned() {
    ParsedKey k = KeyFormat.withPrefix("kg_test").generate();
    LoggerFactory.getLogger("some.library").trace("debugging {}", k.plaintext());
    assertThat(SecretScanner.drain()).singleElement().asString().contains("some.library");
  }
}
