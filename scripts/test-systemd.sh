#!/usr/bin/env bash
# The spec-tests of the JUnit group `systemd` (the systemd cgroup driver's, and SystemdGuestTest, which proves the
# guest) in the qemu guest of scripts/systemd-guest.sh, whose PID 1 is systemd with the system D-Bus; systemd is not
# init on this project's hosts, so `mvn verify` leaves the group out. They run twice: on cgroup v2 and on the hybrid
# layout (v1 controllers, cgroup2 at /sys/fs/cgroup/unified). scripts/test.sh runs this after test-cgroup-v2.sh and
# uses the same build (target/jrunc.jar, target/test-classes, target/test-classpath.txt).
# Reports: target/systemd-reports/<v2|hybrid> (XML per class, progress.log).
#   JRUNC_SKIP_VM=1 scripts/test-systemd.sh             skips it, saying so
#   JRUNC_SYSTEMD_CGROUPS=v2 scripts/test-systemd.sh    only the layouts named (default: "v2 hybrid")
#   scripts/test-systemd.sh SystemdGuestTest            only the classes named (simple names, in org.jrunc.spectest)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
if [ "${JRUNC_SKIP_VM:-}" = 1 ]; then
  echo "test-systemd: skipped: JRUNC_SKIP_VM=1"
  exit 0
fi
for f in target/jrunc.jar target/launcher.env target/test-classpath.txt target/test-classes/org/jrunc/spectest/GuestLauncher.class; do
  [ -e "$f" ] || { echo "test-systemd: $f is missing: build first (mvn -B package -DskipTests)" >&2; exit 1; }
done
[ -x target/spec-rootfs/bin/busybox ] || scripts/make-rootfs.sh target/spec-rootfs >/dev/null
classes=()
for name in "$@"; do
  classes+=("org.jrunc.spectest.$name")
done
status=0
for mode in ${JRUNC_SYSTEMD_CGROUPS:-v2 hybrid}; do
  reports=target/systemd-reports/$mode
  rm -rf "$reports"
  mkdir -p "$reports"
  : > "$reports/progress.log"
  # the guest's output comes back when it ends; its progress log, in the shared directory, shows each test as it ends
  tail -n +1 -f "$reports/progress.log" &
  tailer=$!
  start=$(date +%s)
  result=0
  scripts/systemd-guest.sh --cgroup "$mode" --share "$repo" --cpus 2 --mem 3072 --timeout 1200 -- \
      bash scripts/systemd-tests-in-guest.sh "$mode" "$reports" "${classes[@]}" || result=$?
  sleep 1
  kill "$tailer" 2>/dev/null || true
  echo "test-systemd: cgroup $mode: the guest run took $(( $(date +%s) - start )) s, exit status $result"
  [ "$result" = 0 ] || status=$result
done
exit "$status"
