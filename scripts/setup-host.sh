#!/usr/bin/env bash
# Installs the Debian packages jrunc's build, demo and tests need, skipping what is already there.
#   setup-host.sh [demo|test]   (default: test)
set -euo pipefail
mode=${1:-test}
want=(busybox-static)
if [ "$mode" = test ]; then
  # runc and crun: benchmarks and behaviour comparisons; the rest: the SIF, containerd and podman suites, and the
  # qemu guest of ../shared/vm/run-in-vm.sh for the cgroup v2 suite (its kernel's modules; rdma from iproute2) and
  # scripts/systemd-guest.sh's, whose init is the host's systemd with its dbus;
  # strace's fault injection holds a thread of start in RobustnessTest; passwd (useradd) and slirp4netns: the
  # rootless suites' own user and its podman's network; docker-registry: the local registry the pull tests and
  # bench/pull start on 127.0.0.1; apache2-utils: its htpasswd -B for the registry's basic auth; zstd: the tests' zstd
  # layers; squashfs-tools-ng: tar2sqfs, which `jrunc pull` makes its squashfs layer with (as Singularity does)
  want+=(squashfs-tools squashfuse fuse-overlayfs libseccomp2 uidmap runc crun containerd podman conmon
         skopeo umoci iproute2 util-linux procps qemu-system-x86 linux-image-amd64 kmod strace
         slirp4netns passwd docker-registry apache2-utils zstd squashfs-tools-ng systemd dbus)
fi
command -v mvn >/dev/null || want+=(maven)
command -v java >/dev/null || want+=(openjdk-17-jdk-headless)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-host: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
