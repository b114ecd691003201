#!/usr/bin/env bash
# Installs a Prometheus server for the integration tests of Canary.Metrics (tests/Canary.Metrics.Tests/Integration).
# The tests start their own server on loopback with a throw-away config and data directory, so the packaged
# service is neither needed nor started here.
set -euo pipefail

if command -v prometheus >/dev/null 2>&1; then
  echo "prometheus already installed: $(command -v prometheus)"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "prometheus is not on PATH and apt-get is missing: install Prometheus 2.x by hand and put it on PATH." >&2
  exit 1
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

# policy-rc.d answering 101 stops the package's maintainer scripts from starting the service on hosts where they could.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo_cmd[@]}" tee "$policy" >/dev/null
  "${sudo_cmd[@]}" chmod +x "$policy"
  created_policy=1
fi
cleanup() {
  if [ "$created_policy" -eq 1 ]; then
    "${sudo_cmd[@]}" rm -f "$policy"
  fi
}
trap cleanup EXIT

"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus

command -v prometheus >/dev/null 2>&1 || { echo "prometheus was installed but is not on PATH" >&2; exit 1; }
prometheus --version 2>&1 | head -n 1
