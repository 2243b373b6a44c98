package dev.keygate.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The test gate itself: what counts as entered, and who gets through. */
class GatedHasherTest {
  private final GatedHasher gated = new GatedHasher();
  private final byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);
  private final String hash = gated.hash(secret);

  @AfterEach
  void openTheGate() {
    gated.open();
  }

  private CompletableFuture<Boolean> verifyInBackground() {
    return CompletableFuture.supplyAsync(() -> gated.verify(hash, secret.clone()), r -> new Thread(r).start());
  }

  @Test
  void onlyVerificationsThatMeetTheClosedGateCountAsEntered() throws Exception {
    assertThat(gated.verify(hash, secret.clone())).isTrue(); // setting up, gate open
    gated.close();
    assertThat(gated.entered()).as("a verification before close() is not waited for").isZero();
    CompletableFuture<Boolean> blocked = verifyInBackground();
    gated.awaitEntered(1);
    assertThat(gated.entered()).isEqualTo(1);
    assertThat(blocked).isNotDone();
    gated.open();
    assertThat(blocked.get(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void letOneThroughReleasesExactlyOneBlockedVerification() throws Exception {
    gated.close();
    CompletableFuture<Boolean> first = verifyInBackground();
    CompletableFuture<Boolean> second = verifyInBackground();
    gated.awaitEntered(2);
    gated.letOneThrough();
    await().atMost(Duration.ofSeconds(30)).until(() -> first.isDone() || second.isDone());
    assertThat(first.isDone() && second.isDone()).as("the other one still waits").isFalse();
    gated.letOneThrough();
    assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(second.get(30, TimeUnit.SECONDS)).isTrue();
  }
}
