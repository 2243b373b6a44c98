package dev.keygate;

import dev.keygate.AuthenticationResult.Refused;
import dev.keygate.testing.GatedHasher;
import dev.keygate.testkit.CountingHasher;
import dev.keygate.testkit.MutableClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What the engine's tests share: a test clock, the {@code kg_test} format, an observed in-memory
 * store with a key service on it, a hasher held at a gate for the tests that need one, and the
 * engines a test builds, closed after it (the gate opened first, so none waits on it).
 */
abstract class EngineFixture {
  static final String PEER = "203.0.113.7";

  final MutableClock clock = MutableClock.atEpochOfTests();
  final KeyFormat format = KeyFormat.withPrefix("kg_test");
  final ObservedStore store = ObservedStore.announcing();
  final ApiKeyService service = ApiKeyService.builder().store(store).format(format)
      .hasher(CountingHasher.cheapArgon2id()).clock(clock).build();
  final List<AuthenticationEngine> engines = new ArrayList<>();
  final GatedHasher gated = new GatedHasher();

  @AfterEach
  void closeEngines() {
    gated.open();
    engines.forEach(AuthenticationEngine::close);
  }

  /** A request from {@link #PEER} presenting {@code key}. */
  static AuthenticationRequest key(String key) {
    return AuthenticationRequest.from(PEER).apiKey(key).build();
  }

  /** The refusal's row, or null for any other answer. */
  static Refusal reason(AuthenticationResult r) {
    return r instanceof Refused refused ? refused.reason() : null;
  }
}
