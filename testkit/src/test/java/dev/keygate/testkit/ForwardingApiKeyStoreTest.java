package dev.keygate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keygate.ApiKey;
import dev.keygate.ApiKeyStore;
import dev.keygate.KeyChangeListener;
import dev.keygate.KeyQuery;
import dev.keygate.Page;
import dev.keygate.UsageRecord;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every SPI method reaches the delegate, with the same arguments, and its answer comes back. */
class ForwardingApiKeyStoreTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final ApiKey KEY = ApiKey.builder().id("aaaaaaaaaaaa").name("n").hint("h")
      .secretHash("$x$").createdAt(T0).build();
  private static final KeyChangeListener LISTENER = id -> {};
  private static final ApiKeyStore.Subscription SUBSCRIPTION = () -> {};

  /** One distinct value per parameter and return type of the SPI. */
  private static final Map<Class<?>, Object> VALUES = Map.of(
      String.class, "bbbbbbbbbbbb",
      ApiKey.class, KEY,
      KeyQuery.class, KeyQuery.all(T0),
      Collection.class, List.of(new UsageRecord("aaaaaaaaaaaa", 1, T0)),
      KeyChangeListener.class, LISTENER,
      boolean.class, Boolean.TRUE,
      long.class, 7L,
      Optional.class, Optional.of(KEY),
      Page.class, new Page<>(List.of(KEY), null),
      ApiKeyStore.Subscription.class, SUBSCRIPTION);

  @Test
  void everyMethodOfTheSpiIsForwardedWithItsArgumentsAndAnswer() throws Exception {
    List<String> calls = new ArrayList<>();
    ApiKeyStore recorder = (ApiKeyStore) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {ApiKeyStore.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("toString") ? "recorder" : null;
          }
          calls.add(method.getName() + Arrays.toString(args));
          return method.getReturnType() == void.class ? null : VALUES.get(method.getReturnType());
        });
    ApiKeyStore forwarding = new ForwardingApiKeyStore(recorder);
    List<String> methods = new ArrayList<>();
    for (Method m : ApiKeyStore.class.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      methods.add(m.getName());
      Object[] args = Arrays.stream(m.getParameterTypes()).map(VALUES::get).toArray();
      calls.clear();
      Object result = m.invoke(forwarding, args);
      assertThat(calls).as(m.getName()).containsExactly(m.getName() + Arrays.toString(args));
      if (m.getReturnType() != void.class) {
        assertThat(result).as("what %s returns", m.getName()).isEqualTo(VALUES.get(m.getReturnType()));
      }
    }
    // a new SPI method fails here until it is forwarded and listed
    assertThat(methods).containsExactlyInAnyOrder(
        "create", "findById", "update", "list", "count", "delete", "recordUsage", "subscribe");
    assertThat(forwarding).hasToString("Forwarding[recorder]");
  }
}
