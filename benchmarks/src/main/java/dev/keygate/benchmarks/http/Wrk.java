package dev.keygate.benchmarks.http;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Runs the {@code wrk} load generator as a separate process and reads its summary. */
final class Wrk {
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)");
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern SOCKET_ERRORS =
      Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern STATUS = Pattern.compile("^STATUS (\\d+) (\\d+)$", Pattern.MULTILINE);

  /** What one wrk run reported. */
  record Result(long requests, double seconds, double rate, long non2xx, long socketErrors,
      Map<Integer, Long> statuses, String output) {
    /** Requests answered 2xx or 3xx. */
    long successes() {
      return requests - non2xx;
    }
  }

  /** A wrk process started in the background. */
  static final class Run {
    private final Process process;
    private final Path output;

    private Run(Process process, Path output) {
      this.process = process;
      this.output = output;
    }

    /** Waits for wrk to exit and parses what it printed. */
    Result await() throws IOException, InterruptedException {
      int exit = process.waitFor();
      String text = Files.readString(output, StandardCharsets.UTF_8);
      Files.deleteIfExists(output);
      if (exit != 0) {
        throw new IOException("wrk exited with " + exit + ":\n" + text);
      }
      return parse(text);
    }
  }

  private Wrk() {}

  /**
   * Starts {@code wrk -t threads -c connections -d seconds} against {@code uri}.
   *
   * @param headers sent with every request (ignored by a script that builds its own requests)
   * @param script a Lua script, or null
   */
  static Run start(URI uri, int threads, int connections, int seconds, Map<String, String> headers,
      @Nullable Path script) throws IOException {
    return start(uri, threads, connections, seconds, headers, script, List.of(), null);
  }

  /**
   * Starts wrk as {@link #start(URI, int, int, int, Map, Path)} does, with arguments for the script
   * ({@code init(args)} receives them) and, unless {@code cpu} is null, on that CPU only
   * ({@code taskset -c cpu}).
   */
  static Run start(URI uri, int threads, int connections, int seconds, Map<String, String> headers,
      @Nullable Path script, List<String> scriptArgs, @Nullable Integer cpu) throws IOException {
    List<String> command = new ArrayList<>();
    if (cpu != null) {
      command.addAll(List.of("taskset", "-c", cpu.toString()));
    }
    command.addAll(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "10s"));
    headers.forEach((name, value) -> {
      command.add("-H");
      command.add(name + ": " + value);
    });
    if (script != null) {
      command.add("-s");
      command.add(script.toString());
    }
    command.add(uri.toString());
    if (!scriptArgs.isEmpty()) {
      command.add("--");
      command.addAll(scriptArgs);
    }
    Path output = Files.createTempFile("keygate-wrk", ".txt");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    return new Run(process, output);
  }

  /** Runs wrk to completion. */
  static Result run(URI uri, int threads, int connections, int seconds, Map<String, String> headers,
      @Nullable Path script) throws IOException, InterruptedException {
    return start(uri, threads, connections, seconds, headers, script).await();
  }

  /** wrk's version line, or "wrk (version unknown)". */
  static String version() {
    try {
      Process p = new ProcessBuilder("wrk", "-v").redirectErrorStream(true).start();
      String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      return text.lines().findFirst().orElse("wrk (version unknown)").strip();
    } catch (IOException e) {
      throw new IllegalStateException("wrk is not installed: run benchmarks/run-http.sh, which installs it", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "wrk (version unknown)";
    }
  }

  static Result parse(String text) {
    Matcher total = TOTAL.matcher(text);
    Matcher rate = RATE.matcher(text);
    if (!total.find() || !rate.find()) {
      throw new IllegalStateException("could not read wrk's output:\n" + text);
    }
    double seconds = Double.parseDouble(total.group(2)) * switch (total.group(3)) {
      case "us" -> 1e-6;
      case "ms" -> 1e-3;
      case "m" -> 60;
      default -> 1;
    };
    Matcher non2xx = NON_2XX.matcher(text);
    Matcher errors = SOCKET_ERRORS.matcher(text);
    long socketErrors = 0;
    if (errors.find()) {
      for (int g = 1; g <= 4; g++) {
        socketErrors += Long.parseLong(errors.group(g));
      }
    }
    Map<Integer, Long> statuses = new TreeMap<>();
    Matcher status = STATUS.matcher(text);
    while (status.find()) {
      statuses.merge(Integer.parseInt(status.group(1)), Long.parseLong(status.group(2)), Long::sum);
    }
    return new Result(Long.parseLong(total.group(1)), seconds, Double.parseDouble(rate.group(1)),
        non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, socketErrors, statuses, text);
  }
}
