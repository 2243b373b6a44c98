package dev.keygate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} (Debian's package, which the build installs when missing) for tests:
 * on a free port, its files under the given directory in {@code target/}, no persistence. It can
 * be stopped and started again on the same port, to test an outage. Use with try-with-resources.
 */
public final class RedisServer implements AutoCloseable {
  private static final long READY_SECONDS = 30;

  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts a server on a free port.
   *
   * @param dir its working directory (created), e.g. {@code target/redis/<test>}
   * @return the running server
   */
  public static RedisServer start(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // another build may take the port between the probe and redis-server's bind: try a few
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      RedisServer server = new RedisServer(dir, freePort());
      try {
        server.startAgain();
        return server;
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw last;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Its port. */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Stops the server (SIGTERM), and waits until it has exited: the port is then closed. */
  public void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    process = null;
  }

  /**
   * Starts the server again on the same port (empty: nothing is persisted), and waits until it
   * accepts connections.
   */
  public void startAgain() {
    if (process != null) {
      throw new IllegalStateException("redis-server is running on " + port);
    }
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--dir", dir.toAbsolutePath().toString(), "--save", "", "--appendonly", "no",
        "--protected-mode", "no", "--daemonize", "no", "--logfile", ""));
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run redis-server (install Debian's redis-server package; "
          + "the build's ensure-debian.sh does)", e);
    }
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (output) {
            if (output.length() < 20_000) {
              output.append(line).append('\n');
            }
          }
          if (line.contains("Ready to accept connections")) {
            ready.complete(true);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      ready.complete(false);
    }, "redis-server-" + port);
    reader.setDaemon(true);
    reader.start();
    boolean up;
    try {
      up = ready.get(READY_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      up = false;
    }
    if (!up) {
      p.destroyForcibly();
      synchronized (output) {
        throw new IllegalStateException("redis-server did not start on port " + port + ":\n" + output);
      }
    }
    process = p;
  }

  @Override
  public void close() {
    stop();
  }
}
