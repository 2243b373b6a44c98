package dev.keygate.docs;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A README program run as a user runs it: {@code main} in a JVM of its own, on the test's
 * classpath, with a free port as its argument; ready once it prints its {@code curl} line.
 */
final class QuickStartProcess implements AutoCloseable {
  private static final Pattern CURL = Pattern.compile("curl -H 'X-API-Key: (\\S+)' (http://\\S+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Process process;
  private final Path log;
  final String key;
  final URI url;

  private QuickStartProcess(Process process, Path log, String key, URI url) {
    this.process = process;
    this.log = log;
    this.key = key;
    this.url = url;
  }

  /**
   * Starts {@code mainClass} with {@code args} (the port first) in {@code workingDirectory}, on
   * this module's classpath without the entries whose path contains one of {@code without}: the
   * libraries the program's README dependency block does not bring.
   */
  static QuickStartProcess start(Class<?> mainClass, Path workingDirectory, List<String> without,
      String... args) throws IOException, InterruptedException {
    Files.createDirectories(workingDirectory);
    Path log = workingDirectory.resolve(mainClass.getSimpleName() + ".stderr.log");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpathWithout(without), mainClass.getName()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
        .redirectError(log.toFile()).start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
        lines.add("<end of output>"); // the program ended: no need to wait for the deadline
      } catch (IOException e) {
        lines.add("(stdout failed: " + e + ")");
      }
    }, mainClass.getSimpleName() + "-stdout");
    reader.setDaemon(true);
    reader.start();
    String first = lines.poll(2, TimeUnit.MINUTES);
    Matcher curl = first == null ? null : CURL.matcher(first);
    if (curl == null || !curl.find()) {
      process.destroyForcibly();
      throw new AssertionError(mainClass.getSimpleName() + " printed no curl line (got " + first
          + ", alive: " + process.isAlive() + "); stderr:\n" + Files.readString(log));
    }
    return new QuickStartProcess(process, log, curl.group(1), URI.create(curl.group(2)));
  }

  private static String classpathWithout(List<String> without) {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> without.stream().noneMatch(entry.replace(File.separatorChar, '/')::contains))
        .collect(Collectors.joining(File.pathSeparator));
  }

  /** A port nobody listens on now (the program binds it a moment later). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** {@code method path} on the program, with the given header pairs. */
  HttpResponse<String> send(String method, String path, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(url.resolve(path))
        .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString("{}"));
    if (headers.length > 0) {
      request.headers(headers);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String stderr() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: the shutdown hooks stop the server and close Keygate
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
