#!/usr/bin/env bash
# The README's second command, and what CI runs: installs what is missing, then builds and runs every test suite
# (unit tests, then the spec-tests that drive bin/jrunc against real containers, then the cgroup v2 spec-tests in a
# qemu guest: scripts/test-cgroup-v2.sh, which JRUNC_SKIP_VM=1 skips).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "test: run as root (the spec-tests run real containers); as another user, mvn verify runs the unit tests only" >&2; exit 1; }
scripts/setup-host.sh test
mvn -B verify "$@"
exec scripts/test-cgroup-v2.sh
