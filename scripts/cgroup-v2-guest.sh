#!/usr/bin/env bash
# Inside the run-in-vm.sh guest (root, pure cgroup v2), started by scripts/test-cgroup-v2.sh in the repository:
# prepares what CgroupV2Test and RootlessCgroupV2Test need, then runs the given spec-test classes with GuestLauncher.
#   cgroup-v2-guest.sh REPORT_DIR CLASS...
set -euo pipefail
reports=$1
shift
repo=$PWD
. target/launcher.env
. scripts/guest-staging.sh
stage_jvm_files

# RootlessCgroupV2Test's user (UnprivilegedUser, jrunc-rl): useradd writes /etc and /home, which are the host's,
# read-only here, so a host where the spec-tests never made the user gets writable copies for the guest's lifetime.
if ! id -u jrunc-rl >/dev/null 2>&1; then
  stage /etc
  stage /home
fi

# A block device for per-device I/O limits (null_blk), with io.cost enabled so io.weight takes per-device weights
# without bfq; CgroupV2Test loads bfq itself, last.
modprobe null_blk nr_devices=1
echo "$(cat /sys/block/nullb0/dev) enable=1" > /sys/fs/cgroup/io.cost.qos
export JRUNC_TEST_BLOCK_DEVICE=nullb0 JRUNC_TEST_MODPROBE=1

# An RDMA device for rdma.max: soft-RoCE over a veth pair.
modprobe veth
ip link add jrunc-rxe0 type veth peer name jrunc-rxe1
ip link set jrunc-rxe0 up
ip link set jrunc-rxe1 up
modprobe rdma_rxe
rdma link add jrxe0 type rxe netdev jrunc-rxe0
export JRUNC_TEST_RDMA_DEVICE=jrxe0

exec "$JRUNC_JAVA" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Djrunc.home="$repo" \
    -cp "target/test-classes:$(cat target/test-classpath.txt)" org.jrunc.spectest.GuestLauncher "$reports" "$@"
