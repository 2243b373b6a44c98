package dev.keygate.sample.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keygate.testing.RedisServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fleet on one machine: an embedded PostgreSQL, a redis-server and three Jetty sample nodes
 * (separate JVMs running {@code keygate-sample.jar} on both), then a short load run that shows a
 * key's rate limit holding for the fleet and a revocation reaching every node. {@code
 * samples/cluster/run.sh} runs it; so does {@code FleetRunTest}.
 */
public final class Fleet {
  /** The demonstration key's limit: requests a minute. */
  static final int LIMIT_PER_MINUTE = 60;
  static final int NODES = 3;
  /** Requests of the burst, spread evenly over the nodes: six times the limit. */
  static final int BURST = 6 * LIMIT_PER_MINUTE;

  private static final Pattern LISTENING = Pattern.compile("Keygate sample listening on http://localhost:(\\d+)");
  private static final String BOOTSTRAP = "Bootstrap admin key: ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path work;
  private final Path sampleJar;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** What the run found. */
  record Result(int accepted, int refused, double seconds, List<Integer> acceptedPerNode, List<Long> revocationMillis) {
    /** The most the shared limit may accept: the bucket, plus what refilled while the burst ran, plus one. */
    int allowed() {
      return LIMIT_PER_MINUTE + (int) Math.ceil(seconds * LIMIT_PER_MINUTE / 60.0) + 1;
    }
  }

  Fleet(Path work, Path sampleJar, PrintStream out) {
    this.work = work;
    this.sampleJar = sampleJar;
    this.out = out;
  }

  /**
   * Runs the fleet and the load, then stops everything.
   *
   * @param args the sample's jar (default {@code samples/target/keygate-sample.jar}) and a work
   *     folder (default {@code samples/cluster/target/fleet})
   */
  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args.length > 0 ? args[0] : "samples/target/keygate-sample.jar");
    Path work = Path.of(args.length > 1 ? args[1] : "samples/cluster/target/fleet");
    Result r = new Fleet(work, jar, System.out).run();
    boolean held = r.accepted() >= LIMIT_PER_MINUTE && r.accepted() <= r.allowed() && r.revocationMillis().size() == NODES - 1;
    System.out.println(held ? "fleet: the limit and the revocation held across the nodes" : "fleet: FAILED");
    System.exit(held ? 0 : 1);
  }

  Result run() throws Exception {
    if (!Files.isRegularFile(sampleJar)) {
      throw new IllegalStateException("no " + sampleJar + ": build it first (mvn -B -q package -DskipTests)");
    }
    Files.createDirectories(work);
    Path pgData = Files.createTempDirectory(work, "pg-");
    List<Node> nodes = new ArrayList<>();
    try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
            .setOverrideWorkingDirectory(Files.createDirectories(work.resolve("pg-bin")).toFile())
            .setDataDirectory(pgData).setCleanDataDirectory(true).start();
        RedisServer redis = RedisServer.start(work.resolve("redis"))) {
      out.printf("fleet: PostgreSQL on port %d (embedded), Redis on port %d, %d sample nodes%n", postgres.getPort(),
          redis.port(), NODES);
      Map<String, String> env = Map.of(
          "KEYGATE_JDBC_URL", "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
          "KEYGATE_JDBC_USER", "postgres", "KEYGATE_JDBC_PASSWORD", "postgres",
          "KEYGATE_REDIS_URL", redis.uri(), "PORT", "0");
      try {
        nodes.add(Node.start("node-1", sampleJar, env, work));
        // the first node creates the schema and prints the bootstrap key; the others join it
        List<CompletableFuture<Node>> others = new ArrayList<>();
        for (int i = 2; i <= NODES; i++) {
          String name = "node-" + i;
          others.add(CompletableFuture.supplyAsync(() -> Node.start(name, sampleJar, env, work)));
        }
        for (CompletableFuture<Node> f : others) {
          nodes.add(f.get(120, TimeUnit.SECONDS));
        }
        for (Node n : nodes) {
          out.printf("  %s: http://localhost:%d%n", n.name, n.port);
        }
        return load(nodes);
      } finally {
        for (Node n : nodes) {
          n.stop();
        }
        out.println("fleet: stopped");
      }
    }
  }

  private Result load(List<Node> nodes) throws Exception {
    String admin = nodes.get(0).bootstrapKey();
    JsonNode created = JSON.readTree(send(nodes.get(0), "POST", "/api/v1/keys", admin,
        "{\"name\":\"fleet demo\",\"scopes\":[\"datasets.read\"],\"rate_limit\":{\"requests\":" + LIMIT_PER_MINUTE
            + ",\"period_seconds\":60}}", 201).body());
    String key = created.get("key").asText();
    String id = created.get("id").asText();

    out.printf("limit: a key limited to %d requests a minute; %d requests spread evenly over the %d nodes%n",
        LIMIT_PER_MINUTE, BURST, NODES);
    int[] accepted = new int[NODES];
    int[] refused = new int[NODES];
    long start = System.nanoTime();
    for (int i = 0; i < BURST; i++) {
      int status = send(nodes.get(i % NODES), "GET", "/api/v1/me", key, null, -1).statusCode();
      if (status == 200) {
        accepted[i % NODES]++;
      } else if (status == 429) {
        refused[i % NODES]++;
      } else {
        throw new IllegalStateException(nodes.get(i % NODES).name + " answered " + status);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Integer> perNode = new ArrayList<>();
    int total = 0;
    int totalRefused = 0;
    for (int n = 0; n < NODES; n++) {
      out.printf("  %s: %d accepted, %d refused with 429%n", nodes.get(n).name, accepted[n], refused[n]);
      perNode.add(accepted[n]);
      total += accepted[n];
      totalRefused += refused[n];
    }
    Result partial = new Result(total, totalRefused, seconds, perNode, List.of());
    out.printf("  the fleet: %d accepted in %.1f s (the limit allows %d, plus %d a second refilled: at most %d);"
        + " %d nodes limiting alone would have accepted %d%n", total, seconds, LIMIT_PER_MINUTE, LIMIT_PER_MINUTE / 60,
        partial.allowed(), NODES, Math.min(BURST, NODES * LIMIT_PER_MINUTE));

    // every node has the key cached now; revoke it on the first and time the others' refusals
    send(nodes.get(0), "POST", "/api/v1/keys/" + id + "/revoke", admin, "{}", 200);
    long revoked = System.nanoTime();
    List<Long> millis = new ArrayList<>();
    StringBuilder line = new StringBuilder("revocation: revoked through " + nodes.get(0).name + "; refused by");
    for (Node n : nodes.subList(1, NODES)) {
      long deadline = revoked + TimeUnit.SECONDS.toNanos(30);
      while (send(n, "GET", "/api/v1/me", key, null, -1).statusCode() != 401) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(n.name + " still accepts the revoked key after 30 s");
        }
      }
      long ms = (System.nanoTime() - revoked) / 1_000_000;
      millis.add(ms);
      line.append(' ').append(n.name).append(" after ").append(ms).append(" ms,");
    }
    line.setLength(line.length() - 1);
    out.println(line + " (PostgreSQL LISTEN/NOTIFY)");
    return new Result(total, totalRefused, seconds, perNode, millis);
  }

  private HttpResponse<String> send(Node node, String method, String path, String key, String body, int expected)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + node.port + path))
        .timeout(Duration.ofSeconds(30)).header("X-API-Key", key);
    b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
        : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (expected > 0 && r.statusCode() != expected) {
      throw new IllegalStateException(method + " " + path + " on " + node.name + " answered " + r.statusCode()
          + ": " + r.body());
    }
    return r;
  }

  /** A sample node: a JVM running the sample's jar. */
  private static final class Node {
    final String name;
    final Process process;
    final int port;
    private final CompletableFuture<String> bootstrap = new CompletableFuture<>();

    private Node(String name, Process process, int port) {
      this.name = name;
      this.process = process;
      this.port = port;
    }

    static Node start(String name, Path jar, Map<String, String> env, Path work) {
      try {
        Path dir = Files.createDirectories(work.resolve(name));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-jar", jar.toAbsolutePath().toString()).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("KEYGATE_DATA_DIR", dir.resolve("data").toString());
        Process p = pb.start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        CompletableFuture<String> bootstrap = new CompletableFuture<>();
        Path log = dir.resolve("node.log");
        Thread reader = new Thread(() -> read(p, log, port, bootstrap), name + "-output");
        reader.setDaemon(true);
        reader.start();
        int listening;
        try {
          listening = port.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
          p.destroyForcibly();
          throw new IllegalStateException(name + " did not start; its output is in " + log, e);
        }
        Node node = new Node(name, p, listening);
        bootstrap.thenAccept(node.bootstrap::complete);
        return node;
      } catch (IOException e) {
        throw new IllegalStateException("cannot start " + name, e);
      }
    }

    private static void read(Process p, Path log, CompletableFuture<Integer> port, CompletableFuture<String> bootstrap) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          PrintStream file = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
        for (String line; (line = r.readLine()) != null; ) {
          int at = line.indexOf(BOOTSTRAP);
          if (at >= 0) {
            bootstrap.complete(line.substring(at + BOOTSTRAP.length()).strip());
            line = line.substring(0, at + BOOTSTRAP.length()) + "(not written to this log)";
          }
          file.println(line);
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // the node stopped
      }
      port.completeExceptionally(new IllegalStateException("the node exited"));
      bootstrap.completeExceptionally(new IllegalStateException("the node printed no bootstrap key"));
    }

    String bootstrapKey() throws Exception {
      return bootstrap.get(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
      process.destroy(); // SIGTERM: the sample flushes usage and closes Redis, the store and the pool
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }
}
