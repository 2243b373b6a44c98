package dev.keygate.sample;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The sample as an operator runs it: {@code SampleApp.main} in a JVM of its own, with the
 * production logging configuration and the default (Argon2id) hasher, so that it can be killed
 * with {@code SIGKILL} and its console and exit code read.
 */
final class ChildSample implements AutoCloseable {
  private static final String LISTENING = "Keygate sample listening on http://localhost:";

  private final Process process;
  private final List<String> stdout = new CopyOnWriteArrayList<>();
  private final List<String> stderr = new CopyOnWriteArrayList<>();
  private final AtomicInteger drained = new AtomicInteger();

  private final Path log;

  private ChildSample(Process process, Path log) {
    this.process = process;
    this.log = log;
    drain(process.getInputStream(), stdout, "stdout");
    drain(process.getErrorStream(), stderr, "stderr");
  }

  /** Starts the sample on H2 in {@code dataDir}, on a free port; does not wait for it. */
  static ChildSample launch(Path dataDir) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    URL logback = Objects.requireNonNull(SampleApp.class.getResource("/logback.xml"), "the sample's logback.xml");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Dlogback.configurationFile=" + logback, "-cp", classPath, SampleApp.class.getName()));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("KEYGATE_"));
    builder.environment().put("PORT", "0");
    builder.environment().put("KEYGATE_DATA_DIR", dataDir.toString());
    Path logs = Files.createDirectories(Path.of(System.getProperty("keygate.test.dir", "target"), "child-samples"));
    return new ChildSample(builder.start(), logs.resolve("sample-" + System.currentTimeMillis() + ".log"));
  }

  /** Starts the sample and waits until it listens. */
  static ChildSample start(Path dataDir) throws IOException {
    ChildSample child = launch(dataDir);
    await("the sample to listen").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
        .until(() -> child.listeningLine() != null || !child.process.isAlive());
    if (child.listeningLine() == null) {
      fail("the sample did not start; stderr:\n" + String.join("\n", child.stderr));
    }
    return child;
  }

  int port() {
    return Integer.parseInt(Objects.requireNonNull(listeningLine()).substring(LISTENING.length()).strip());
  }

  /** The bootstrap admin key printed by this start, if it printed one. */
  @Nullable String bootstrapKey() {
    return stdout.stream().filter(l -> l.startsWith(BootstrapKey.LINE_PREFIX)).findFirst()
        .map(l -> l.substring(BootstrapKey.LINE_PREFIX.length())).orElse(null);
  }

  private @Nullable String listeningLine() {
    return stdout.stream().filter(l -> l.startsWith(LISTENING)).findFirst().orElse(null);
  }

  /** Waits for the process to end and returns its exit code; every line it wrote has been read. */
  int awaitExit(Duration within) throws InterruptedException {
    if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("the sample did not exit within " + within + "; stderr:\n" + String.join("\n", stderr));
    }
    await("the console to be read").atMost(Duration.ofSeconds(10)).until(() -> drained.get() == 2);
    return process.exitValue();
  }

  List<String> stderr() {
    return List.copyOf(stderr);
  }

  /** {@code kill -9}: no shutdown hook runs, nothing is flushed or closed. */
  void kill() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL on Linux
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  /** The sample's stderr (its log) is also written to a file under the build's target folder. */
  Path log() {
    return log;
  }

  private void drain(InputStream in, List<String> into, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          into.add(line);
          if (into == stderr) {
            Files.writeString(log, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
          }
        }
      } catch (IOException ignored) {
        // the process is gone
      } finally {
        drained.incrementAndGet();
      }
    }, "child-sample-" + name);
    t.setDaemon(true);
    t.start();
  }
}
