#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver when either is missing, so that the browser tests
# of the API Keys page can run; `mvn -B verify` calls it before the samples' tests.
# -DskipBrowserTests skips it together with the browser tests.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
echo "ensure-chromium: chromium or chromedriver is missing; installing Debian's chromium and chromium-driver"
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "ensure-chromium: cannot install as $(id -un) without password-less sudo; install them with" >&2
  echo "  apt-get install -y chromium chromium-driver" >&2
  echo "or run the build without the browser tests: mvn -B verify -DskipBrowserTests" >&2
  exit 1
fi
# another build on this machine may be installing at the same moment: wait for dpkg's lock
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
"${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium chromium-driver >/dev/null
command -v chromium >/dev/null && command -v chromedriver >/dev/null
echo "ensure-chromium: installed $(chromium --version 2>/dev/null | head -1)"
