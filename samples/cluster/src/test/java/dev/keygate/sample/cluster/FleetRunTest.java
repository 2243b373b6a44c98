package dev.keygate.sample.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What {@code samples/cluster/run.sh} runs, run by the build: PostgreSQL, Redis and three sample
 * JVMs from the sample's jar, over real HTTP.
 */
class FleetRunTest {
  @Test
  void theLimitAndARevocationHoldAcrossThreeNodes() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    Fleet.Result r = new Fleet(Path.of("target", "fleet"), Path.of("..", "target", "keygate-sample.jar"), out).run();
    String printed = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    assertThat(r.accepted()).as("the fleet's accepted requests").isBetween(Fleet.LIMIT_PER_MINUTE, r.allowed());
    assertThat(r.accepted() + r.refused()).isEqualTo(Fleet.BURST);
    assertThat(r.acceptedPerNode()).hasSize(Fleet.NODES).allSatisfy(n -> assertThat(n).isPositive());
    assertThat(r.revocationMillis()).hasSize(Fleet.NODES - 1);
    assertThat(printed).contains("node-3: http://localhost:").contains("revocation: revoked through node-1")
        .contains("fleet: stopped");
  }
}
