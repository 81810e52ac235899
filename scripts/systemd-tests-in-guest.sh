#!/usr/bin/env bash
# Inside the scripts/systemd-guest.sh guest (systemd is PID 1 and the system bus is up; this runs as the guest's
# command service), started by scripts/test-systemd.sh in the repository: runs the spec-tests of the JUnit group
# `systemd` with GuestLauncher, all of them or the classes named. MODE is the guest's cgroup layout, for the tests.
#   systemd-tests-in-guest.sh MODE REPORT_DIR [CLASS...]
set -euo pipefail
mode=$1
reports=$2
shift 2
. target/launcher.env
. scripts/guest-staging.sh
stage_jvm_files
export JRUNC_TEST_SYSTEMD_CGROUP=$mode
exec "$JRUNC_JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djrunc.home="$PWD" \
    -cp "target/test-classes:$(cat target/test-classpath.txt)" org.jrunc.spectest.GuestLauncher "$reports" \
    --tag systemd "$@"
