package dev.keygate.sample;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keygate.ApiKeyService;
import dev.keygate.ApiKeyStore;
import dev.keygate.AuthenticationEngine;
import dev.keygate.KeyFormat;
import dev.keygate.Keygate;
import dev.keygate.RateLimit;
import dev.keygate.RateLimiter;
import dev.keygate.hash.KeyHasher;
import dev.keygate.jaxrs.KeygateFeature;
import dev.keygate.jdbc.JdbcApiKeyStore;
import dev.keygate.management.ApiKeysPageServlet;
import dev.keygate.management.KeyManagement;
import dev.keygate.management.KeyManagementFeature;
import dev.keygate.servlet.KeygateFilter;
import dev.keygate.redis.KeygateRedis;
import jakarta.servlet.DispatcherType;
import jakarta.ws.rs.ext.ContextResolver;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Keygate sample: Jetty 12 (ee10) with the JDBC store (H2 file by default, PostgreSQL when
 * {@code KEYGATE_JDBC_URL} is set) behind a HikariCP pool, Jersey routes under {@code /api}
 * guarded by {@link KeygateFeature}, a plain servlet route under {@code /servlet} guarded by
 * {@link KeygateFilter}, and Bearer JWTs through the engine's Bearer plug-in.
 */
public final class SampleApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SampleApp.class);
  /** The largest request body accepted, with or without {@code Content-Length}; more is 413. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  /** Live keys: real data and the only ones {@code POST /api/v1/exports} takes. The default. */
  static final String LIVE = "live";
  /** Test keys: everything but the live-only routes. */
  static final String TEST = "test";
  /**
   * Keys say their environment by their prefix: {@code kg_live_…} and {@code kg_test_…}. Live
   * first: a key created without an environment is live, as every key was before environments.
   */
  static final KeyFormat FORMAT = KeyFormat.withEnvironments(environments());
  /** How old the write probe behind {@code /health} may be; at most one probe runs per interval. */
  static final Duration HEALTH_PROBE_INTERVAL = Duration.ofSeconds(2);
  /**
   * Jersey warns (through java.util.logging) that resource instances "will be ignored" as
   * providers; they are registered as resources and work. Held here: JUL keeps loggers weakly.
   */
  private static final java.util.logging.Logger JERSEY_PROVIDERS =
      java.util.logging.Logger.getLogger("org.glassfish.jersey.internal.inject.Providers");

  static {
    JERSEY_PROVIDERS.setLevel(java.util.logging.Level.SEVERE);
  }

  private final Server server;
  private final HikariDataSource dataSource;
  private final JdbcApiKeyStore store;
  private final Keygate keygate;
  private final @Nullable KeygateRedis redis;

  private static Map<String, String> environments() {
    Map<String, String> prefixes = new LinkedHashMap<>();
    prefixes.put(LIVE, "kg_live");
    prefixes.put(TEST, "kg_test");
    return prefixes;
  }

  private SampleApp(Server server, HikariDataSource dataSource, JdbcApiKeyStore store, Keygate keygate,
      @Nullable KeygateRedis redis) {
    this.server = server;
    this.dataSource = dataSource;
    this.store = store;
    this.keygate = keygate;
    this.redis = redis;
  }

  /** Starts the sample from the environment and stops it cleanly (flushing usage) on shutdown. */
  public static void main(String[] args) throws Exception {
    SampleConfig config;
    try {
      config = SampleConfig.fromEnv(System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("keygate-sample: " + e.getMessage());
      System.exit(2);
      return;
    }
    SampleApp app;
    try {
      app = start(config, Clock.systemUTC(), null, System.out);
    } catch (Exception | Error e) {
      // one line that says what failed and why (the disk's own words), not a stack trace
      LOG.debug("start failed", e);
      System.err.println("keygate-sample: cannot start: " + StartFailure.oneLine(e));
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "keygate-sample-shutdown"));
    System.out.println("Keygate sample listening on http://localhost:" + app.port());
    app.server.join();
  }

  /**
   * Starts the sample.
   *
   * @param hasher the secret hasher; null for Argon2id at OWASP parameters
   * @param console where the one-time bootstrap admin key line is printed
   */
  public static SampleApp start(SampleConfig config, Clock clock, @Nullable KeyHasher hasher, PrintStream console)
      throws Exception {
    if (config.jdbcUrl() == null) {
      EmbeddedH2.preflight(config.dataDir());
    }
    HikariDataSource dataSource = dataSource(config);
    JdbcApiKeyStore store = null;
    Keygate keygate = null;
    KeygateRedis redis = null;
    try {
      store = JdbcApiKeyStore.builder().dataSource(dataSource).clock(clock).build();
      Organizations organizations = new Organizations(dataSource);
      StoreHealth health = new StoreHealth(dataSource, clock, HEALTH_PROBE_INTERVAL, System::nanoTime);
      try {
        store.createSchemaIfMissing();
        organizations.createTableIfMissing();
        health.createTableIfMissing();
        health.requireWritable(); // the store is not up until it has taken a write
      } catch (SQLException | RuntimeException e) {
        throw new StartFailure("cannot write the database " + where(config), e);
      }

      ApiKeyStore keys = store;
      if (config.redisUrl() != null) {
        redis = KeygateRedis.builder().uri(config.redisUrl()).build();
        // PostgreSQL pushes changes to every node itself (LISTEN/NOTIFY); other databases only poll
        keys = dataSource.getJdbcUrl().startsWith("jdbc:postgresql:") ? store : redis.invalidating(store);
      }
      Keygate.Builder settings = Keygate.builder().store(keys).keyFormat(FORMAT).clock(clock)
          .failuresPerAddress(new RateLimit(config.failuresPerMinute(), Duration.ofMinutes(1)))
          .trustedProxies(config.trustedProxies());
      if (redis != null) {
        settings.rateLimiters(redis.rateLimiters());
      }
      if (hasher != null) {
        settings.hasher(hasher);
      }
      if (config.jwtSecret() != null) {
        settings.bearerAuthenticator(new JwtAuthenticator(config.jwtSecret(), config.jwtClockSkew(), clock));
      }
      keygate = settings.build();
      AuthenticationEngine engine = keygate.engine();
      ApiKeyService service = keygate.keys();

      BootstrapKey.ensure(organizations, service, clock.instant(), console);

      RateLimiter signupLimiter = keygate.rateLimiter("signup", new RateLimit(5, Duration.ofMinutes(1)));
      ResourceConfig api = new ResourceConfig()
          .property(ServerProperties.WADL_FEATURE_DISABLE, true) // no API description on OPTIONS
          .register(new KeygateFeature(keygate))
          .register(JacksonFeature.withoutExceptionMappers())
          .register(new JsonConfig())
          .register(KeyManagementFeature.at("v1", management(keygate)))
          .register(new SignupResource(service, engine, organizations, signupLimiter, clock))
          .register(ApiResources.class);
      ErrorMappers.all(MAX_BODY_BYTES).forEach(api::register);

      ServletContextHandler context = new ServletContextHandler("/");
      context.addServlet(new ServletHolder("api", new ServletContainer(api)), "/api/*");
      context.addServlet(new ServletHolder("health", new HealthServlet(health)), "/health");
      context.addServlet(new ServletHolder("console",
          ApiKeysPageServlet.of("/api/v1", "Keygate sample", ApiKeysPageServlet.SignIn.KEY)), "/console/*");
      context.addServlet(new ServletHolder("whoami", new WhoAmIServlet(engine)), "/servlet/whoami");
      context.addServlet(new ServletHolder("not-found", new NotFoundServlet()), "/");
      context.addFilter(new FilterHolder(KeygateFilter.builder(keygate).build()), "/servlet/*",
          EnumSet.of(DispatcherType.REQUEST));
      context.setErrorHandler(JsonErrorPages.forContext(MAX_BODY_BYTES));

      Server server = new Server();
      HttpConfiguration http = new HttpConfiguration();
      http.setRequestHeaderSize(16 * 1024); // room for a 10 KB garbage header to reach Keygate and get a 401
      http.setSendServerVersion(false);
      ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
      connector.setPort(config.port());
      server.addConnector(connector);
      // TRACE is refused before anything else; bodies are counted as they arrive, before any parser
      SizeLimitHandler bodyLimit = new SizeLimitHandler(MAX_BODY_BYTES, -1);
      bodyLimit.setHandler(context);
      server.setHandler(new RefuseTrace(bodyLimit));
      server.setErrorHandler(JsonErrorPages.forServer(MAX_BODY_BYTES));
      server.setStopTimeout(5_000);
      server.start();
      LOG.info("keygate sample started on port {} with {}", connector.getLocalPort(), config);
      return new SampleApp(server, dataSource, store, keygate, redis);
    } catch (Exception | Error e) {
      if (keygate != null) {
        keygate.close();
      }
      if (redis != null) {
        redis.close();
      }
      if (store != null) {
        store.close();
      }
      dataSource.close();
      throw e;
    }
  }

  /**
   * The management API under {@code /api/v1}: the routes of the protected resources as its scope
   * catalogue, with the reference's descriptions, and {@code keys.admin} to manage keys.
   */
  static KeyManagement management(Keygate keygate) {
    return KeyManagement.builder(keygate)
        .scope("datasets.read", "List and retrieve datasets and dataset items.")
        .scope("datasets.write", "Create, update, and delete datasets. Upload items.")
        .scope("projects.read", "List and retrieve projects, tasks, and task results.")
        .scope("exports.create", "Create new exports and download completed exports.")
        .scope("tasks.read", "List and retrieve tasks and their results.")
        .scope(SignupResource.ADMIN_SCOPE, "Create, list, regenerate and revoke the organization's API keys.")
        .build();
  }

  private static HikariDataSource dataSource(SampleConfig config) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("keygate-sample");
    hikari.setMaximumPoolSize(10);
    hikari.setConnectionTimeout(2_000);
    try {
      if (config.jdbcUrl() == null) {
        return EmbeddedH2.pool(hikari, config.dataDir());
      }
      hikari.setJdbcUrl(config.jdbcUrl());
      hikari.setUsername(config.jdbcUser());
      hikari.setPassword(config.jdbcPassword());
      return new HikariDataSource(hikari);
    } catch (RuntimeException e) { // HikariCP's PoolInitializationException: the first connection failed
      throw new StartFailure("cannot open the database " + where(config), e);
    }
  }

  /** The database, as an operator knows it; never the JDBC URL, which may carry a password. */
  private static String where(SampleConfig config) {
    return config.jdbcUrl() == null ? config.dataDir().resolve(EmbeddedH2.FILE).toString() : "given by KEYGATE_JDBC_URL";
  }

  /** The port the server listens on. */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  /** The lifecycle service (tests use it to inspect keys). */
  ApiKeyService service() {
    return keygate.keys();
  }

  /** Stops the server, then flushes usage and closes Redis, the store and the pool. Idempotent. */
  @Override
  public synchronized void close() {
    try {
      if (server.isRunning()) {
        server.stop();
      }
    } catch (Exception e) {
      LOG.warn("could not stop the server cleanly", e);
    }
    keygate.close();
    if (redis != null) {
      redis.close();
    }
    store.close();
    dataSource.close();
  }

  /**
   * Jackson for the JSON routes: snake_case, ISO-8601 instants; unknown fields, a field given twice
   * and anything after the JSON value are refused (400), so a body means one thing only.
   */
  static final class JsonConfig implements ContextResolver<ObjectMapper> {
    private final ObjectMapper mapper = JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    @Override
    public ObjectMapper getContext(Class<?> type) {
      return mapper;
    }
  }
}
