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
  # the CRI suite (CriConformanceTest): containerd's pod network (CNI plugins, iptables for portmap) and the
  # nonewprivs test image's setuid program (gcc, static libc)
  want+=(containernetworking-plugins iptables gcc libc6-dev)
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
if [ "$mode" = test ]; then
  # Go 1.23, which builds critest (scripts/build-critest.sh), comes from bookworm-backports
  if ! dpkg-query -W -f='${Status}' golang-1.23-go 2>/dev/null | grep -q "install ok installed"; then
    if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
      # the same mirror as the host's bookworm source (deb822 or one-line form)
      mirror=$(grep -hs -A3 "^Types: deb" /etc/apt/sources.list.d/debian.sources | sed -n 's/^URIs: *\([^ ]*\).*/\1/p' | head -1)
      [ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(http[^ ]*\) bookworm main.*/\1/p' /etc/apt/sources.list 2>/dev/null | head -1)
      [ -n "$mirror" ] || { echo "setup-host: no bookworm source in /etc/apt to add bookworm-backports beside" >&2; exit 1; }
      printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$mirror" > /etc/apt/sources.list.d/bookworm-backports.sources
    fi
    echo "setup-host: installing golang-1.23-go from bookworm-backports" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends -t bookworm-backports golang-1.23-go >/dev/null
  fi
  # the CRI suite's busybox image takes Debian's dynamic busybox, whose shell runs commands from PATH as the busybox
  # image's does (busybox-static's prefers its own applets, so a masked /bin/ls would still run); the two packages
  # conflict, so it is unpacked beside critest rather than installed
  bbdir=/var/cache/jrunc-ci/busybox-dynamic
  if [ ! -x "$bbdir/bin/busybox" ]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && { apt-get download busybox >/dev/null 2>&1 || { apt-get update -qq && apt-get download busybox >/dev/null; }; })
    rm -rf "$bbdir.tmp" && dpkg-deb -x "$tmp"/busybox_*.deb "$bbdir.tmp" && rm -rf "$bbdir" && mv "$bbdir.tmp" "$bbdir"
    rm -rf "$tmp"
  fi
  # a failed build leaves the CRI suite skipped (it says why), not the rest of the tests unrun
  "$(dirname "$0")/build-critest.sh" || echo "setup-host: critest not built: CriConformanceTest will be skipped" >&2
fi
