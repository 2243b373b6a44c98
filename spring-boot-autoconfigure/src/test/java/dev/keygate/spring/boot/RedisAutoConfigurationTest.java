package dev.keygate.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.AuthenticationEngine;
import dev.keygate.AuthenticationRequest;
import dev.keygate.AuthenticationResult;
import dev.keygate.IssuedKey;
import dev.keygate.Keygate;
import dev.keygate.NewKey;
import dev.keygate.RateLimit;
import dev.keygate.RateLimiter;
import dev.keygate.RateLimiters;
import dev.keygate.jdbc.JdbcApiKeyStore;
import dev.keygate.memory.InMemoryApiKeyStore;
import dev.keygate.redis.KeygateRedis;
import dev.keygate.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * {@code keygate.redis.*} without a server: what is built from the properties against a real
 * redis-server, what is refused (naming the property, never repeating the URL), and the
 * application's own beans winning.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisAutoConfigurationTest {
  private static final String PASSWORD = "hunter2-not-for-logs";
  private static final String CLIENT = "203.0.113.9";

  private static RedisServer redis;
  private static RedisClient client;
  private static StatefulRedisConnection<String, String> commands;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(KeygateAutoConfiguration.class))
      .withPropertyValues("keygate.hasher.memory-kib=1024", "keygate.hasher.iterations=1");

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start(Path.of("target", "redis", "RedisAutoConfigurationTest"));
    client = RedisClient.create(redis.uri());
    commands = client.connect();
  }

  @AfterAll
  static void stopRedis() {
    if (commands != null) {
      commands.close();
    }
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (redis != null) {
      redis.close();
    }
  }

  private ApplicationContextRunner withRedis(String... more) {
    return runner.withPropertyValues("keygate.redis.url=" + redis.uri(), "keygate.redis.timeout=2s")
        .withPropertyValues(more);
  }

  private static AuthenticationResult call(AssertableApplicationContext context, String key) {
    return context.getBean(AuthenticationEngine.class)
        .authenticate(AuthenticationRequest.from(CLIENT).apiKey(key).build());
  }

  /** Every message of the failure and its causes, for checking that none repeats a secret. */
  private static String messages(Throwable failure) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      all.append(t).append('\n');
    }
    return all.toString();
  }

  @Test
  void withoutAUrlNothingOfRedisIsBuilt() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(KeygateRedis.class).doesNotHaveBean(RateLimiters.class)
          .doesNotHaveBean(KeygateStoreDecorator.class);
      assertThat(context.getBean(Keygate.class).engine().statistics().sharedLimitsUnavailableSince()).isEmpty();
    });
    runner.withPropertyValues("keygate.redis.url=  ").run(context ->
        assertThat(context).as("a blank URL is no URL").hasNotFailed().doesNotHaveBean(KeygateRedis.class));
  }

  @Test
  void withoutKeygateRedisOnTheClassPathTheUrlIsIgnored() {
    withRedis().withClassLoader(new FilteredClassLoader(KeygateRedis.class)).run(context ->
        assertThat(context).hasNotFailed().hasSingleBean(Keygate.class).doesNotHaveBean(RateLimiters.class)
            .doesNotHaveBean(KeygateStoreDecorator.class));
  }

  @Test
  void theDefaultsAndTheBucketsLandInRedisUnderThePrefix() {
    runner.withPropertyValues("keygate.redis.url=" + redis.uri()).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(KeygateRedis.class);
      KeygateProperties.Redis p = context.getBean(KeygateProperties.class).getRedis();
      assertThat(p.getTimeout()).isEqualTo(Duration.ofMillis(50));
      assertThat(p.getRetryInterval()).isEqualTo(Duration.ofSeconds(1));
      assertThat(p.getKeyPrefix()).isEqualTo("keygate:");
      assertThat(p.getKeyChanges()).isEqualTo(KeygateProperties.KeyChanges.AUTO);
      KeygateRedis bean = context.getBean(KeygateRedis.class);
      assertThat(context.getBean(RateLimiters.class)).isSameAs(bean.rateLimiters());
      assertThat(bean.toString()).contains("prefix=keygate:");
    });
    withRedis("keygate.redis.key-prefix=boot-test-a:", "keygate.redis.retry-interval=250ms").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(KeygateProperties.class).getRedis().getRetryInterval()).isEqualTo(Duration.ofMillis(250));
      IssuedKey k = context.getBean(Keygate.class).keys().create(NewKey.named("limited")
          .withRateLimit(RateLimit.perMinute(2)));
      assertThat(commands.sync().keys("boot-test-a:*")).isEmpty();
      assertThat(call(context, k.plaintext())).isInstanceOf(AuthenticationResult.Authenticated.class);
      assertThat(commands.sync().keys("boot-test-a:*")).as("the key's bucket is kept in Redis").isNotEmpty();
    });
  }

  @Test
  void badValuesFailTheStartNamingThePropertyAndNeverRepeatTheUrl(CapturedOutput output) {
    for (String url : List.of("http://:" + PASSWORD + "@127.0.0.1:6379", PASSWORD + "@127.0.0.1:6379",
        "redis://:" + PASSWORD + "@[::1")) {
      runner.withPropertyValues("keygate.redis.url=" + url).run(context -> {
        assertThat(context).as(url).hasFailed();
        assertThat(context).getFailure().rootCause().hasMessageContaining("keygate.redis.url");
        assertThat(messages(context.getStartupFailure())).doesNotContain(PASSWORD);
      });
    }
    withRedis("keygate.redis.timeout=20s").run(context -> assertThat(context).getFailure().rootCause()
        .hasMessageContaining("keygate.redis.timeout").hasMessageContaining("PT20S"));
    withRedis("keygate.redis.timeout=0ms").run(context -> assertThat(context).getFailure().rootCause()
        .hasMessageContaining("keygate.redis.timeout"));
    withRedis("keygate.redis.timeout=fast").run(context -> assertThat(messages(context.getStartupFailure()))
        .contains("keygate.redis.timeout"));
    withRedis("keygate.redis.retry-interval=1ms").run(context -> assertThat(context).getFailure().rootCause()
        .hasMessageContaining("keygate.redis.retry-interval"));
    withRedis("keygate.redis.retry-interval=2h").run(context -> assertThat(context).getFailure().rootCause()
        .hasMessageContaining("keygate.redis.retry-interval"));
    withRedis("keygate.redis.key-prefix=has space").run(context -> assertThat(context).getFailure().rootCause()
        .hasMessageContaining("keygate.redis.key-prefix"));
    withRedis("keygate.redis.key-changes=sometimes").run(context -> assertThat(messages(context.getStartupFailure()))
        .contains("keygate.redis.key-changes"));
    assertThat(output.getAll()).doesNotContain(PASSWORD);
  }

  @Test
  void aPasswordInTheUrlIsShownNowhere(CapturedOutput output) {
    String url = "redis://:" + PASSWORD + "@127.0.0.1:" + redis.port();
    runner.withPropertyValues("keygate.redis.url=" + url, "keygate.redis.timeout=2s").run(context -> {
      // redis-server has no password: Redis refuses the AUTH, and Keygate limits locally
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(KeygateProperties.class).toString()).contains("url set").doesNotContain(PASSWORD);
      assertThat(context.getBean(KeygateRedis.class).toString()).doesNotContain(PASSWORD);
      IssuedKey k = context.getBean(Keygate.class).keys().create(NewKey.named("k").withRateLimit(RateLimit.perMinute(5)));
      assertThat(call(context, k.plaintext())).isInstanceOf(AuthenticationResult.Authenticated.class);
    });
    // Lettuce's parser takes this one (the port is not read as a number): whatever becomes of it,
    // the password is not shown
    runner.withPropertyValues("keygate.redis.url=redis://:" + PASSWORD + "@127.0.0.1:notaport").run(context -> {
      if (context.getStartupFailure() != null) {
        assertThat(messages(context.getStartupFailure())).doesNotContain(PASSWORD);
      } else {
        IssuedKey k = context.getBean(Keygate.class).keys().create(NewKey.named("k").withRateLimit(RateLimit.perMinute(5)));
        assertThat(call(context, k.plaintext())).isInstanceOf(AuthenticationResult.Authenticated.class);
        assertThat(context.getBean(KeygateRedis.class).toString()).doesNotContain(PASSWORD);
      }
    });
    assertThat(output.getAll()).doesNotContain(PASSWORD);
  }

  @Test
  void theApplicationsKeygateRedisWinsWithoutAUrl() {
    KeygateRedis mine = KeygateRedis.builder().uri(redis.uri()).keyPrefix("boot-test-mine:")
        .timeout(Duration.ofSeconds(2)).build();
    try {
      runner.withBean("myRedis", KeygateRedis.class, () -> mine).run(context -> {
        assertThat(context).hasNotFailed();
        assertThat(context.getBean(KeygateRedis.class)).isSameAs(mine);
        assertThat(context.getBean(RateLimiters.class)).isSameAs(mine.rateLimiters());
        IssuedKey k = context.getBean(Keygate.class).keys().create(NewKey.named("k").withRateLimit(RateLimit.perMinute(3)));
        call(context, k.plaintext());
        assertThat(commands.sync().keys("boot-test-mine:*")).isNotEmpty();
      });
      withRedis().withBean("myRedis", KeygateRedis.class, () -> mine).run(context ->
          assertThat(context.getBean(KeygateRedis.class)).as("and with one").isSameAs(mine));
    } finally {
      mine.close();
    }
  }

  /** The application's own limiters: local buckets, noting the names Keygate asks for. */
  static final class NamingLimiters implements RateLimiters {
    final Set<String> names = ConcurrentHashMap.newKeySet();

    @Override
    public RateLimiter limiter(String name, RateLimit defaultLimit, Clock clock) {
      names.add(name);
      return RateLimiters.local().limiter(name, defaultLimit, clock);
    }
  }

  @Test
  void theApplicationsRateLimitersWin() {
    NamingLimiters mine = new NamingLimiters();
    withRedis("keygate.redis.key-prefix=boot-test-own-limiters:").withBean(RateLimiters.class, () -> mine).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(KeygateRedis.class);
      assertThat(context.getBean(RateLimiters.class)).isSameAs(mine);
      assertThat(mine.names).contains("keygate.key", "keygate.failures-per-address");
      IssuedKey k = context.getBean(Keygate.class).keys().create(NewKey.named("k").withRateLimit(RateLimit.perMinute(1)));
      assertThat(call(context, k.plaintext())).isInstanceOf(AuthenticationResult.Authenticated.class);
      assertThat(call(context, k.plaintext())).isInstanceOf(AuthenticationResult.Refused.class);
      assertThat(commands.sync().keys("boot-test-own-limiters:*")).as("no bucket in Redis").isEmpty();
    });
  }

  @Test
  void theKeygateBeanIsClosedBeforeTheRedisItUses() {
    withRedis().run(context -> {
      var factory = context.getBeanFactory();
      assertThat(factory.getDependentBeans("keygateRedis")).contains("keygateRateLimiters", "keygateRedisKeyChanges");
      assertThat(factory.getDependentBeans("keygateRateLimiters")).contains("keygate");
      assertThat(factory.getDependentBeans("keygateRedisKeyChanges")).contains("keygate");
    });
  }

  /**
   * The announcements one node's changes make on the channel, in the order Redis took them (a
   * publish is answered before the change returns, so a later change's message comes later).
   */
  @Test
  void keyChangesAreAnnouncedPerSetting() throws Exception {
    BlockingQueue<String> announced = new LinkedBlockingQueue<>();
    StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
    try {
      sub.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
          announced.add(message);
        }
      });
      sub.sync().subscribe("boot-test-changes:keys-changed");
      String[] prefix = {"keygate.redis.key-prefix=boot-test-changes:"};
      String[] silent = new String[2];
      withRedis(prefix).withPropertyValues("keygate.redis.key-changes=never").run(context -> {
        Keygate keygate = context.getBean(Keygate.class);
        silent[0] = keygate.keys().create(NewKey.named("never")).key().id();
        keygate.keys().revoke(silent[0]);
      });
      withRedis(prefix).withPropertyValues("keygate.redis.key-changes=always").run(context -> {
        Keygate keygate = context.getBean(Keygate.class);
        String id = keygate.keys().create(NewKey.named("always")).key().id();
        keygate.keys().revoke(id);
        assertThat(announced.poll(30, TimeUnit.SECONDS)).as("the first announcement").endsWith(":" + id);
      });
      withRedis(prefix).withBean(DataSource.class, RedisAutoConfigurationTest::h2).run(context -> {
        assertThat(context.getBean(dev.keygate.ApiKeyStore.class)).isInstanceOf(JdbcApiKeyStore.class);
        Keygate keygate = context.getBean(Keygate.class);
        String id = keygate.keys().create(NewKey.named("auto on h2")).key().id();
        keygate.keys().revoke(id);
        assertThat(announced.poll(30, TimeUnit.SECONDS)).as("auto, on a database without push").endsWith(":" + id);
      });
      Path data = Files.createDirectories(Path.of("target", "embedded", "pg-data-redis-" + ProcessHandle.current().pid()));
      try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true).start()) {
        withRedis(prefix).withBean(DataSource.class, pg::getPostgresDatabase).run(context -> {
          Keygate keygate = context.getBean(Keygate.class);
          silent[1] = keygate.keys().create(NewKey.named("auto on postgres")).key().id();
          keygate.keys().revoke(silent[1]);
        });
        DataSource postgres = pg.getPostgresDatabase();
        JdbcApiKeyStore onPostgres = JdbcApiKeyStore.builder().dataSource(postgres).build();
        assertThat(KeygateRedisConfiguration.announces(KeygateProperties.KeyChanges.AUTO, onPostgres, postgres)).isFalse();
        assertThat(KeygateRedisConfiguration.announces(KeygateProperties.KeyChanges.ALWAYS, onPostgres, postgres)).isTrue();
        assertThat(KeygateRedisConfiguration.announces(KeygateProperties.KeyChanges.AUTO, new InMemoryApiKeyStore(), postgres))
            .as("a store of the application's: its push is not known").isTrue();
      }
      withRedis(prefix).run(context -> {
        Keygate keygate = context.getBean(Keygate.class);
        String id = keygate.keys().create(NewKey.named("auto in memory")).key().id();
        keygate.keys().revoke(id);
        assertThat(announced.poll(30, TimeUnit.SECONDS)).as("never and auto on PostgreSQL announced nothing before")
            .endsWith(":" + id);
      });
      assertThat(announced).isEmpty();
      JdbcDataSource nowhere = new JdbcDataSource();
      nowhere.setURL("jdbc:h2:tcp://127.0.0.1:1/nowhere;PASSWORD=" + PASSWORD);
      assertThat(KeygateRedisConfiguration.announces(KeygateProperties.KeyChanges.AUTO,
          JdbcApiKeyStore.builder().dataSource(nowhere).build(), nowhere)).as("a database that cannot be asked").isTrue();
      assertThat(KeygateRedisConfiguration.announces(KeygateProperties.KeyChanges.NEVER, new InMemoryApiKeyStore(), null))
          .isFalse();
    } finally {
      sub.close();
    }
  }

  private static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:redis-autoconfig;DB_CLOSE_DELAY=-1");
    ds.setUser("sa");
    return ds;
  }
}
