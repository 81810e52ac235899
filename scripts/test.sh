#!/usr/bin/env bash
# The README's second command, and what CI runs: installs what is missing, then builds and runs every test suite
# (unit tests, then the spec-tests that drive bin/jrunc against real containers).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "test: run as root (the spec-tests run real containers): sudo $0" >&2; exit 1; }
scripts/setup-host.sh test
exec mvn -B verify "$@"
