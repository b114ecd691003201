#!/usr/bin/env bash
# Installs the Debian packages whose commands the tests need, in one apt-get run, skipping those already on PATH.
# Usage: eng/deps/apt-install.sh COMMAND=PACKAGE [COMMAND=PACKAGE ...]
#   e.g. eng/deps/apt-install.sh prometheus=prometheus kubectl=kubernetes-client
# Tests start their own servers on loopback with throw-away config and data, so packaged services are never started.
set -euo pipefail

missing=()
for pair in "$@"; do
  command_name=${pair%%=*}
  package=${pair#*=}
  if command -v "$command_name" >/dev/null 2>&1; then
    echo "$command_name: already installed ($(command -v "$command_name"))"
  else
    missing+=("$package")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "missing ${missing[*]} and apt-get is not available: install them by hand and put them on PATH." >&2
  exit 1
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

# policy-rc.d answering 101 stops maintainer scripts from starting packaged services on hosts where they could.
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

echo "installing ${missing[*]} from Debian's packages"
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

for pair in "$@"; do
  command -v "${pair%%=*}" >/dev/null 2>&1 || { echo "${pair#*=} was installed but ${pair%%=*} is not on PATH" >&2; exit 1; }
done
