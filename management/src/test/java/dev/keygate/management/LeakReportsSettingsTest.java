package dev.keygate.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.LeakPolicy;
import dev.keygate.memory.InMemoryApiKeyStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link LeakReports}: each setting checked as it is given, and GitHub's public-keys document read. */
class LeakReportsSettingsTest {
  private static final String PEM = LeakReportsContract.pem(LeakReportsContract.SIGNER);

  @Test
  void publicKeysAreCheckedWhenGiven() {
    assertThatIllegalArgumentException().isThrownBy(() -> LeakReports.github(Map.of()))
        .withMessage("publicKeys: give at least one");
    assertThatIllegalArgumentException().isThrownBy(() -> LeakReports.github(Map.of("", PEM)))
        .withMessage("publicKeys: an identifier is empty");
    assertThatIllegalArgumentException().isThrownBy(() -> LeakReports.github(Map.of("k", "MFkwEwYH")))
        .withMessage("publicKeys: k is not a PEM public key");
    assertThatIllegalArgumentException().isThrownBy(() -> LeakReports.github(Map.of("k",
        "-----BEGIN PUBLIC KEY-----\nnot base64!\n-----END PUBLIC KEY-----")))
        .withMessage("publicKeys: k is not an EC public key in PEM");
    assertThat(LeakReports.parse(PEM, "k")).isEqualTo(LeakReportsContract.SIGNER.getPublic());
  }

  @Test
  void eachSettingIsGivenOnceAndInRange() {
    LeakReports r = LeakReports.github(Map.of("k", PEM));
    assertThat(r.toString()).isEqualTo("LeakReports[github, policy=REVOKE, maxTokens=1000, maxHashes=100]");
    r.policy(LeakPolicy.MARK).maxTokens(1).maxHashes(0).onLeak(o -> { });
    assertThat(r.toString()).isEqualTo("LeakReports[github, policy=MARK, maxTokens=1, maxHashes=0]");
    assertThatIllegalStateException().isThrownBy(() -> r.policy(LeakPolicy.REVOKE)).withMessage("policy is already set");
    assertThatIllegalStateException().isThrownBy(() -> r.maxTokens(5)).withMessage("maxTokens is already set");
    assertThatIllegalStateException().isThrownBy(() -> r.maxHashes(5)).withMessage("maxHashes is already set");
    assertThatIllegalStateException().isThrownBy(() -> r.onLeak(o -> { })).withMessage("onLeak is already set");
    LeakReports s = LeakReports.github(() -> Map.of());
    assertThatIllegalArgumentException().isThrownBy(() -> s.maxTokens(0)).withMessageContaining("got 0");
    assertThatIllegalArgumentException().isThrownBy(() -> s.maxTokens(10_001)).withMessageContaining("got 10001");
    assertThatIllegalArgumentException().isThrownBy(() -> s.maxHashes(-1)).withMessageContaining("got -1");
    assertThatIllegalArgumentException().isThrownBy(() -> s.maxHashes(10_001)).withMessageContaining("got 10001");
    s.maxTokens(10_000).maxHashes(10_000);
    assertThat(s.toString()).contains("maxTokens=10000, maxHashes=10000");
  }

  @Test
  void theRouteExistsOnlyWhenConfiguredAndOnce() {
    try (Keygate keygate = Keygate.builder().store(new InMemoryApiKeyStore()).keyFormat(KeyFormat.withPrefix("kg_test"))
        .build()) {
      assertThat(KeyManagement.builder(keygate).build().answers(LeakReports.PATH)).isFalse();
      KeyManagement.Builder b = KeyManagement.builder(keygate).leakReports(LeakReports.github(Map.of("k", PEM)));
      KeyManagement m = b.build();
      assertThat(m.answers(LeakReports.PATH)).isTrue();
      assertThat(m.answers("/keys")).isTrue();
      assertThat(m.answers(LeakReports.PATH + "/")).isFalse();
      assertThat(m.toString()).contains("LeakRoute[REVOKE");
      assertThat(KeyManagement.owns(LeakReports.PATH)).isFalse();
      assertThatIllegalStateException().isThrownBy(() -> b.leakReports(LeakReports.github(Map.of("k", PEM))))
          .withMessage("leakReports is already set");
      assertThatIllegalStateException().isThrownBy(() -> b.environments("a").environments("b"))
          .withMessage("environments is already set");
    }
  }

  @Test
  void gitHubsPublicKeysDocumentIsRead() {
    String doc = "{\"public_keys\":[{\"key_identifier\":\"a\",\"key\":\"" + PEM.replace("\n", "\\n")
        + "\",\"is_current\":true},{\"key_identifier\":\"b\",\"key\":\"x\",\"is_current\":false}]}";
    assertThat(LeakReports.publicKeysOf(doc)).containsExactly(Map.entry("a", PEM), Map.entry("b", "x"));
    for (String bad : new String[] {"not json", "[]", "{\"public_keys\":{}}", "{\"public_keys\":[{\"key\":\"x\"}]}",
        "{\"public_keys\":[{\"key_identifier\":1,\"key\":\"x\"}]}", "null"}) {
      assertThatIllegalArgumentException().as(bad).isThrownBy(() -> LeakReports.publicKeysOf(bad))
          .withMessageStartingWith("not a public-keys document");
    }
  }

  @Test
  void aSignatureIsCheckedOverTheExactBytes() {
    byte[] body = "[]".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String sig = LeakReportsContract.sign(LeakReportsContract.SIGNER, "[]");
    assertThat(LeakRoute.verifies(LeakReportsContract.SIGNER.getPublic(), sig, body)).isTrue();
    assertThat(LeakRoute.verifies(LeakReportsContract.SIGNER.getPublic(), " " + sig + " ", body)).isTrue();
    assertThat(LeakRoute.verifies(LeakReportsContract.SIGNER.getPublic(), sig, "[ ]".getBytes())).isFalse();
    assertThat(LeakRoute.verifies(LeakReportsContract.STRANGER.getPublic(), sig, body)).isFalse();
    assertThat(new dev.keygate.ReportedLeak("abc", "", "").tokenSha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
