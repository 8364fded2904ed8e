#!/usr/bin/env bash
# Makes sure Debian's Chromium is installed for the browser tests (test/browser: the HTML digest in a
# real browser, driven by playwright-core). Installs the `chromium` package with apt when it is missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium.sh: $(chromium --version 2>/dev/null || echo chromium) already installed" >&2
  exit 0
fi
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
echo "chromium.sh: installing Debian's chromium" >&2
export DEBIAN_FRONTEND=noninteractive
sudo_if_needed apt-get install -y --no-install-recommends chromium fonts-dejavu-core >&2 \
  || { sudo_if_needed apt-get update >&2 && sudo_if_needed apt-get install -y --no-install-recommends chromium fonts-dejavu-core >&2; }
command -v chromium >/dev/null 2>&1 || { echo "chromium.sh: chromium is still missing after apt-get install" >&2; exit 1; }
