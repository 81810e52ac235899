#!/usr/bin/env bash
# The README's first command: installs what is missing, builds jrunc, makes the busybox rootfs and runs the demo
# container from bundles/busybox, printing its output.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "demo: run as root (containers need it)" >&2; exit 1; }
scripts/setup-host.sh demo
[ -f target/jrunc.jar ] && [ -f target/launcher.env ] || mvn -q -B -DskipTests package
[ -x bundles/busybox/rootfs/bin/busybox ] || scripts/make-rootfs.sh bundles/busybox/rootfs
exec bin/jrunc run --bundle bundles/busybox "jrunc-demo-$$"
