package dev.keygate.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs work on several threads released together by one latch, for concurrency tests that must
 * not depend on sleeps: every thread is started and waiting before any of them begins.
 */
public final class Concurrently {
  /** How long {@link #run} waits for all threads before it fails: 120 seconds. */
  public static final long TIMEOUT_SECONDS = 120;

  private Concurrently() {}

  /** The work of one thread. */
  @FunctionalInterface
  public interface Body {
    /**
     * Runs the work of thread number {@code thread}.
     *
     * @param thread the thread's number, from 0 to the thread count minus 1
     * @throws Exception any failure, which {@link Concurrently#run} rethrows
     */
    void run(int thread) throws Exception;
  }

  /**
   * Runs {@code body} on {@code threads} threads released at once, and waits for all of them.
   *
   * @param threads how many threads, at least 1
   * @param body the work, given each thread's number
   * @throws ExecutionException wrapping the first failure of a thread, in thread order
   * @throws java.util.concurrent.TimeoutException if a thread is still running after {@value
   *     #TIMEOUT_SECONDS} seconds
   * @throws InterruptedException if the calling thread is interrupted while waiting
   * @throws Exception (declared for {@code Body}'s sake) never thrown otherwise
   */
  public static void run(int threads, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int index = t;
        futures.add(pool.submit(() -> {
          start.await();
          body.run(index);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
