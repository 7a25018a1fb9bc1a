#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests and the web benchmark
# (driven by playwright-core; never a downloaded browser). Installs it with apt-get when missing.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then echo "Chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"; exit 0; fi

echo "Installing Chromium"
apt-get update -qq
# The lock timeout lets this wait for another apt-get (e.g. the Slurm install) instead of failing.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 chromium >/dev/null
echo "Chromium: $(/usr/bin/chromium --version)"
