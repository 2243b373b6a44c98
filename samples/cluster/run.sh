#!/usr/bin/env bash
# A fleet on this machine: an embedded PostgreSQL, a redis-server and three Jetty sample nodes
# sharing both, then a short load run showing a key's rate limit holding across the nodes and a
# revocation reaching all three. Installs Debian's redis-server when it is missing (as root or with
# password-less sudo). Run from anywhere: samples/cluster/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bash build/ensure-debian.sh redis-server=redis-server
mvn -B -q package -DskipTests -pl samples/cluster -am
exec java -cp "samples/cluster/target/classes:$(cat samples/cluster/target/classpath.txt)" \
  dev.keygate.sample.cluster.Fleet samples/target/keygate-sample.jar samples/cluster/target/fleet
