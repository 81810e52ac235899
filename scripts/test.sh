#!/usr/bin/env bash
# The README's second command, and what CI runs: installs what is missing, then builds and runs every test suite
# (unit tests, then the spec-tests that drive bin/jrunc against real containers, then the spec-tests that need another
# kind of host, each in a qemu guest: cgroup v2 in scripts/test-cgroup-v2.sh, systemd as init in scripts/test-systemd.sh;
# JRUNC_SKIP_VM=1 skips both).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "test: run as root (the spec-tests run real containers); as another user, mvn verify runs the unit tests only" >&2; exit 1; }
scripts/setup-host.sh test
mvn -B verify "$@"
# both guests run even when the first fails: each reports what the other cannot
status=0
scripts/test-cgroup-v2.sh || status=$?
scripts/test-systemd.sh || status=$?
exit "$status"
