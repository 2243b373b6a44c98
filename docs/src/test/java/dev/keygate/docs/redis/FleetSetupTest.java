package dev.keygate.docs.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.testing.RedisServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's fleet snippet on a real redis-server: two nodes share a key's limit and signup's. */
class FleetSetupTest {
  @Test
  void twoNodesShareTheLimits() {
    InMemoryApiKeyStore store = new InMemoryApiKeyStore(); // one store both nodes read, like a database
    try (RedisServer redis = RedisServer.start(Path.of("target", "redis", "docs"));
        FleetSetup.Node a = FleetSetup.node(redis.uri(), store);
        FleetSetup.Node b = FleetSetup.node(redis.uri(), store)) {
      IssuedKey key = a.keygate().keys().create(NewKey.named("limited").withRateLimit(RateLimit.perMinute(2)));
      AuthenticationRequest request = AuthenticationRequest.from("203.0.113.7").apiKey(key.plaintext()).build();
      assertThat(a.keygate().engine().authenticate(request)).isInstanceOf(AuthenticationResult.Authenticated.class);
      assertThat(b.keygate().engine().authenticate(request)).isInstanceOf(AuthenticationResult.Authenticated.class);
      assertThat(a.keygate().engine().authenticate(request)).isInstanceOf(AuthenticationResult.Refused.class);
      assertThat(b.keygate().engine().authenticate(request)).isInstanceOf(AuthenticationResult.Refused.class);
      int signups = 0;
      for (int i = 0; i < 10; i++) {
        signups += (i % 2 == 0 ? a : b).signups().tryAcquire("203.0.113.7") == 0 ? 1 : 0;
      }
      assertThat(signups).isEqualTo(5);
    }
  }
}
