#!/usr/bin/env bash
# The cgroup v2 spec-tests (JUnit group cgroup-v2: CgroupV2Test, RootlessCgroupV2Test) in the throw-away qemu guest of
# ../shared/vm/run-in-vm.sh, which has pure cgroup v2 with every controller; this project's hosts are hybrid, so
# `mvn verify` leaves the group out. scripts/test.sh runs this after `mvn verify`, whose build it uses (target/jrunc.jar,
# target/test-classes, target/test-classpath.txt). Reports: target/cgroup-v2-reports (XML per class, progress.log).
#   JRUNC_SKIP_VM=1 scripts/test-cgroup-v2.sh    skips it, saying so; without ../shared/vm it fails
#   scripts/test-cgroup-v2.sh RootlessCgroupV2Test   runs only the classes named (simple names, in org.jrunc.spectest)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
reports=target/cgroup-v2-reports
if [ "${JRUNC_SKIP_VM:-}" = 1 ]; then
  echo "test-cgroup-v2: skipped: JRUNC_SKIP_VM=1"
  exit 0
fi
vm=$(cd .. && pwd)/shared/vm/run-in-vm.sh
[ -x "$vm" ] || { echo "test-cgroup-v2: $vm is missing: clone the repository next to shared/ (JRUNC_SKIP_VM=1 skips these tests)" >&2; exit 1; }
for f in target/jrunc.jar target/launcher.env target/test-classpath.txt target/test-classes/org/jrunc/spectest/GuestLauncher.class; do
  [ -e "$f" ] || { echo "test-cgroup-v2: $f is missing: build first (mvn -B package -DskipTests)" >&2; exit 1; }
done
[ -x target/spec-rootfs/bin/busybox ] || scripts/make-rootfs.sh target/spec-rootfs >/dev/null
rm -rf "$reports"
mkdir -p "$reports"
: > "$reports/progress.log"
# the guest's output comes back when it ends; its progress log, in the shared directory, shows each test as it ends
tail -n +1 -f "$reports/progress.log" &
tailer=$!
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(CgroupV2Test RootlessCgroupV2Test)
classes=()
for name in "${names[@]}"; do
  classes+=("org.jrunc.spectest.$name")
done
start=$(date +%s)
status=0
"$vm" --share "$repo" --cpus 2 --mem 3072 --timeout 1200 -- \
    bash scripts/cgroup-v2-guest.sh "$reports" "${classes[@]}" || status=$?
sleep 1
kill "$tailer" 2>/dev/null || true
echo "test-cgroup-v2: the guest run took $(( $(date +%s) - start )) s, exit status $status"
exit "$status"
