package dev.keygate.benchmarks.http;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code name=value} command-line settings, each with a default; an unknown name is an error. */
final class Options {
  private final Map<String, String> values = new HashMap<>();
  private final Set<String> known;

  Options(List<String> args, Set<String> known) {
    this.known = known;
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("settings are name=value, got '" + arg + "'");
      }
      String name = arg.substring(0, eq);
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown setting '" + name + "'; known: " + known);
      }
      values.put(name, arg.substring(eq + 1));
    }
  }

  int integer(String name, int fallback) {
    check(name);
    return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
  }

  String text(String name, String fallback) {
    check(name);
    return values.getOrDefault(name, fallback);
  }

  List<String> list(String name, String fallback) {
    return Arrays.stream(text(name, fallback).split(",")).map(String::strip)
        .filter(s -> !s.isEmpty()).toList();
  }

  private void check(String name) {
    if (!known.contains(name)) {
      throw new IllegalStateException("setting " + name + " was not declared");
    }
  }
}
