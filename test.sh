#!/usr/bin/env bash
# The one test command: installs what the tests need on a fresh machine, builds everything with warnings as
# errors, runs every test project, and ends with a plain "N passed, N failed, N skipped" line.
set -euo pipefail
cd "$(dirname "$0")"

# Real peers the integration tests drive: a Prometheus server, kubectl (against our fake API server), and a headless
# chromium that opens the HTML rollout reports.
eng/deps/apt-install.sh prometheus=prometheus kubectl=kubernetes-client chromium=chromium

# With the binaries installed, a test that cannot find one must fail rather than skip.
export CANARY_REQUIRE_PROMETHEUS=1
export CANARY_REQUIRE_KUBECTL=1
export CANARY_REQUIRE_CHROMIUM=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

dotnet build Canary.sln -c Release -warnaserror -nologo -v quiet

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=$?
done

# Sum the TRX counters of every test project into the closing line CI reads.
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
