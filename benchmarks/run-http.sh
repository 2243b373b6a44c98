#!/usr/bin/env bash
# Keygate's HTTP benchmarks: servers on 127.0.0.1 ephemeral ports, load from wrk, results on
# standard output. Every run ends by itself.
#
#   benchmarks/run-http.sh [throughput|scale|attack|flood|coldstart|all] [name=value ...]
#
#   throughput  the hello endpoint five ways, alternating wrk rounds, medians and ratios (~5 min)
#   scale       servlet filter vs a bare SHA-256 + Caffeine filter, 1 key vs 100,000 cached keys at
#               random, JAX-RS filter vs Jersey alone; 9 rounds, server CPU per request (~13 min)
#   attack      valid traffic under floods of bad keys, with and without the failure throttle (~12 min)
#   flood       valid first uses under a wrong-secret flood over many ids, and a valid key used while
#               its own id is flooded; 3 runs of 30 s each (~5 min)
#   coldstart   1,000 distinct keys after a restart: Argon2id defaults, then HMAC-SHA-256 (~1 min)
#   all         the four, in that order
#
# Settings (name=value) are passed to the Java runner; see benchmarks/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "# installing wrk from Debian" >&2
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq wrk >/dev/null
fi

jar=benchmarks/target/keygate-benchmarks.jar
if [ ! -f "$jar" ] || [ -n "$(find benchmarks/src core/src servlet-filter/src jaxrs-filter/src -newer "$jar" -type f -print -quit)" ]; then
  echo "# building $jar" >&2
  mvn -B -q package -pl benchmarks -am -DskipTests
fi

java_opts=(-Xms1g -Xmx1g -XX:+AlwaysPreTouch ${KEYGATE_BENCH_JAVA_OPTS:-})
run() {
  java "${java_opts[@]}" -cp "$jar" dev.keygate.benchmarks.http.HttpBenchmark "$@" 2> >(grep -v -e 'WARNING' -e 'WadlFeature' >&2)
}

what="${1:-throughput}"
if [ $# -gt 0 ]; then shift; fi
case "$what" in
  throughput|scale|attack|flood) run "$what" "$@" ;;
  coldstart)
    # each hasher in a fresh JVM: a restart is a cold JIT too
    run coldstart hasher=argon2id "$@"
    run coldstart hasher=hmac "$@"
    ;;
  all)
    run throughput "$@"
    run attack "$@"
    run flood
    run coldstart hasher=argon2id
    run coldstart hasher=hmac
    ;;
  *) echo "usage: $0 [throughput|scale|attack|flood|coldstart|all] [name=value ...]" >&2; exit 2 ;;
esac
