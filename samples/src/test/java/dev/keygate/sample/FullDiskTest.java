package dev.keygate.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.keygate.sample.SampleClient.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sample's default store (H2 in a file) on a real full disk: a small tmpfs filled to the last
 * byte, with the sample in a JVM of its own that is killed with {@code SIGKILL}. Needs root; see
 * {@link ScratchDisk}.
 */
class FullDiskTest {
  private ScratchDisk disk;
  private final List<ChildSample> nodes = new ArrayList<>();

  /** A key the sample created: its id and the plaintext it showed once. */
  record Key(String id, String plaintext) {
    static Key of(Reply created) {
      return new Key(created.text("id"), created.text("key"));
    }
  }

  @BeforeEach
  void mount() throws Exception {
    disk = ScratchDisk.mount("16m");
  }

  @AfterEach
  void unmount() throws Exception {
    for (ChildSample node : nodes) {
      node.close(); // before the unmount: a running node keeps the database file open
    }
    if (disk != null) {
      disk.close();
    }
  }

  /**
   * Every create answered 201 (with its plaintext) and every revoke answered 200 before the node
   * was killed is there after a restart; what the full disk refused was answered 503, and the
   * node, after a restart, treats those keys as the store says.
   */
  @Test
  void everyAcknowledgedCreateAndRevokeSurvivesAKillOnAFullDisk() throws Exception {
    Path data = disk.root().resolve("data");
    ChildSample node = started(data);
    SampleClient api = new SampleClient(node.port());
    String admin = Objects.requireNonNull(node.bootstrapKey(), "the first start prints the bootstrap key");

    List<Key> created = new ArrayList<>(); // answered 201: must authenticate after the restart
    List<Key> revoked = new ArrayList<>(); // answered 200: must be refused after the restart
    List<Key> undecided = new ArrayList<>(); // revoke answered 503: as the store says
    for (int i = 0; i < 7; i++) { // four to revoke, three to keep
      Reply r = api.post("/api/v1/keys", admin, "{\"name\":\"before-" + i + "\"}");
      assertThat(r.status()).as(r.toString()).isEqualTo(201);
      created.add(Key.of(r));
    }
    assertThat(api.post("/api/v1/keys/" + created.get(0).id() + "/revoke", admin, null).status()).isEqualTo(200);
    revoked.add(created.get(0));

    disk.fill();
    int refused = 0;
    List<String> neither = new ArrayList<>(); // answers that are neither success nor 503
    // three revokes and three creates: each refused one waits the pool's 2 s for a connection
    for (int i = 1; i < 4; i++) {
      Key victim = created.get(i);
      Reply revoke = api.post("/api/v1/keys/" + victim.id() + "/revoke", admin, null);
      if (revoke.status() == 200) {
        revoked.add(victim);
      } else {
        undecided.add(victim);
        refused += refusedWith503(revoke, neither);
      }
      Reply create = api.post("/api/v1/keys", admin, "{\"name\":\"during-" + i + "\"}");
      if (create.status() == 201) {
        created.add(Key.of(create));
      } else {
        refused += refusedWith503(create, neither);
      }
    }
    node.kill();
    disk.free();

    SampleClient restarted = new SampleClient(started(data).port());
    List<String> lost = new ArrayList<>();
    int checked = 0;
    for (Key k : created) {
      if (revoked.contains(k) || undecided.contains(k)) {
        continue;
      }
      checked++;
      Reply me = restarted.get("/api/v1/me", k.plaintext());
      if (me.status() != 200 || !me.text("key_id").equals(k.id())) {
        lost.add("key " + k.id() + " created with 201 is now " + me);
      }
    }
    for (Key k : revoked) {
      checked++;
      Reply me = restarted.get("/api/v1/me", k.plaintext());
      if (me.status() != 401) {
        lost.add("key " + k.id() + " revoked with 200 is now " + me);
      }
    }
    for (Key k : undecided) {
      String status = restarted.get("/api/v1/keys/" + k.id(), admin).text("status");
      assertThat(restarted.get("/api/v1/me", k.plaintext()).status())
          .as("key %s, whose revoke was refused, is '%s' in the store", k.id(), status)
          .isEqualTo(status.equals("revoked") ? 401 : 200);
    }
    System.out.printf("[keygate-sample full disk] acknowledged: %d creates, %d revokes; refused 503: %d;"
        + " checked after kill -9 and restart: %d, lost: %d%n", created.size(), revoked.size(), refused, checked,
        lost.size());
    assertThat(lost).as("acknowledged writes undone by a kill -9 and a restart").isEmpty();
    assertThat(neither).as("answers on a full disk other than success or 503").isEmpty();
    assertThat(refused).as("writes the full disk refused (else this test proves nothing)").isPositive();
  }

  /**
   * While the disk is full the node answers writes 503 (never 500) and {@code /health} 503, keeps
   * serving the keys it has cached and counts their use; once space is back it recovers without a
   * restart, writes the counts, and they are there after a {@code kill -9}.
   */
  @Test
  void aNodeOnAFullDiskRecoversByItselfAndWritesTheUsageCountedMeanwhile() throws Exception {
    Path data = disk.root().resolve("data");
    ChildSample node = started(data);
    SampleClient api = new SampleClient(node.port());
    String admin = Objects.requireNonNull(node.bootstrapKey());
    Reply made = api.post("/api/v1/keys", admin, "{\"name\":\"user\"}");
    assertThat(made.status()).isEqualTo(201);
    Key user = Key.of(made);
    for (int i = 0; i < 3; i++) {
      assertThat(api.get("/api/v1/me", user.plaintext()).status()).isEqualTo(200);
    }
    assertThat(usage(api, admin, user)).isEqualTo(3);
    assertThat(api.health().status()).isEqualTo(200);
    assertThat(api.health().text("status")).isEqualTo("ok");

    disk.fill();
    assertUnavailable(api.post("/api/v1/keys", admin, "{\"name\":\"refused\"}"));
    await("/health to report the store").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .until(() -> api.health().status() == 503);
    Reply down = api.health();
    assertThat(down.text("status")).isEqualTo("unavailable");
    assertThat(down.raw().headers().firstValue("Retry-After")).isPresent();
    for (int i = 0; i < 5; i++) {
      assertThat(api.get("/api/v1/me", user.plaintext()).status()).as("a cached key keeps working").isEqualTo(200);
    }
    assertUnavailable(api.get("/api/v1/keys/" + user.id(), admin)); // its usage flush cannot be written
    assertUnavailable(api.post("/api/v1/signup", null, "{\"organization\":\"acme\"}"));

    disk.free();
    long freed = System.nanoTime();
    await("/health to recover (the sample's log: " + node.log() + ")").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
        .until(() -> api.health().status() == 200);
    long healthy = System.nanoTime();
    Reply after = api.post("/api/v1/keys", admin, "{\"name\":\"after\"}");
    assertThat(after.status()).as("a write on the same node, never restarted: " + after).isEqualTo(201);
    assertThat(usage(api, admin, user)).as("3 uses before the outage, 5 during it").isEqualTo(8);
    System.out.printf("[keygate-sample full disk] /health back to 200 %d ms after space was freed%n",
        (healthy - freed) / 1_000_000);

    node.kill();
    SampleClient restarted = new SampleClient(started(data).port());
    assertThat(usage(restarted, admin, user)).as("written for good before the kill").isEqualTo(8);
    assertThat(restarted.get("/api/v1/me", Key.of(after).plaintext()).status()).isEqualTo(200);
  }

  private ChildSample started(Path data) throws Exception {
    ChildSample node = ChildSample.start(data);
    nodes.add(node);
    return node;
  }

  /** The key's stored usage count; reading a key makes the node write the usage it counted first. */
  private static long usage(SampleClient api, String admin, Key key) throws Exception {
    Reply r = api.get("/api/v1/keys/" + key.id(), admin);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().get("usage_count").asLong();
  }

  /** 1 for a 503 with {@code Retry-After}; anything else is added to {@code neither}. */
  private static int refusedWith503(Reply r, List<String> neither) {
    if (r.status() == 503 && r.raw().headers().firstValue("Retry-After").isPresent()) {
      return 1;
    }
    neither.add(r.toString());
    return 0;
  }

  private static void assertUnavailable(Reply r) {
    if (r.status() != 503) {
      fail("expected 503 while the disk is full, got " + r);
    }
    assertThat(r.raw().headers().firstValue("Retry-After")).as("Retry-After on " + r).isPresent();
  }
}
