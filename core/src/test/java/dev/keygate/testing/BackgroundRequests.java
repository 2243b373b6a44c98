package dev.keygate.testing;

import static org.awaitility.Awaitility.await;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;

/** Requests authenticated on threads of their own, so that a test can hold them at a gate. */
public final class BackgroundRequests {
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  /** Starts {@code request} on a new thread; the future completes with its answer or its failure. */
  public Future<AuthenticationResult> authenticate(AuthenticationEngine engine, AuthenticationRequest request) {
    CompletableFuture<AuthenticationResult> result = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        result.complete(engine.authenticate(request));
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    threads.add(t);
    t.start();
    return result;
  }

  /** Waits until every request started so far is parked (on a verification, a slot or the gate) or done. */
  public void awaitAllParked() {
    await().atMost(Duration.ofSeconds(30)).until(() -> threads.stream().allMatch(t -> !t.isAlive()
        || t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING));
  }
}
