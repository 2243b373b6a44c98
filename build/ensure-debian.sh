#!/usr/bin/env bash
# Installs Debian packages whose commands are missing, so that tests needing a real program (a
# headless Chromium, a redis-server) can run it; `mvn -B verify` calls it before those tests.
# Usage: ensure-debian.sh COMMAND=PACKAGE... ; nothing is installed when every COMMAND is found.
set -euo pipefail
missing=()
for pair in "$@"; do
  command -v "${pair%%=*}" >/dev/null 2>&1 || missing+=("${pair#*=}")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "ensure-debian: installing Debian's ${missing[*]} (a command the tests run is missing)"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "ensure-debian: cannot install as $(id -un) without password-less sudo; install them with" >&2
  echo "  apt-get install -y ${missing[*]}" >&2
  exit 1
fi
# another build on this machine may be installing at the same moment: wait for dpkg's lock
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
for pair in "$@"; do
  command -v "${pair%%=*}" >/dev/null
done
echo "ensure-debian: installed ${missing[*]}"
