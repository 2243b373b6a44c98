#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver when either is missing, so that the browser tests
# of the API Keys page can run; `mvn -B verify` calls it before the samples' tests.
# -DskipBrowserTests skips it together with the browser tests.
set -euo pipefail
exec bash "$(dirname "$0")/../../../../build/ensure-debian.sh" chromium=chromium chromedriver=chromium-driver
