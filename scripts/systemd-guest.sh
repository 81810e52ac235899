#!/usr/bin/env bash
# Runs one command in a throw-away qemu guest whose PID 1 is systemd (/lib/systemd/systemd) with the system D-Bus up:
# the place the systemd cgroup driver's spec-tests run (this project's hosts have systemd installed but not as init).
# The interface is ../shared/vm/run-in-vm.sh's, plus the cgroup layout systemd sets up:
#
#   systemd-guest.sh [--cgroup v2|hybrid] [--mem MB] [--cpus N] [--share DIR] [--timeout S] -- COMMAND [ARG...]
#
#   --cgroup v2       cgroup2 alone at /sys/fs/cgroup (systemd.unified_cgroup_hierarchy=1); the default
#   --cgroup hybrid   v1 controllers at /sys/fs/cgroup/<ctrl> and a controller-less cgroup2 at /sys/fs/cgroup/unified,
#                     as on this project's hosts (systemd.unified_cgroup_hierarchy=0)
#
# The root is an overlay: the host's / over 9p (read-only) under a tmpfs, so systemd and the command may write anywhere
# and nothing reaches the host but DIR (default: the current directory), mounted read-write at the same path. The
# command runs as root in DIR, as a oneshot service (jrunc-guest-command.service, under system.slice) of a boot target
# that has only basic.target and dbus; its stdout, stderr and exit status come back as this script's. Status 125
# means the guest never finished: a timeout or a boot failure, with the console tail printed.
# Software emulation (TCG), as in run-in-vm.sh: see the README's testing section for the boot time.
# Needs: qemu-system-x86, linux-image-amd64, busybox-static, systemd and dbus (installed when missing).
set -euo pipefail

CGROUP=v2 MEM=3072 CPUS=2 SHARE=$PWD TIMEOUT=1800
while [ $# -gt 0 ]; do
  case "$1" in
    --cgroup) CGROUP=$2; shift 2;;
    --mem) MEM=$2; shift 2;;
    --cpus) CPUS=$2; shift 2;;
    --share) SHARE=$2; shift 2;;
    --timeout) TIMEOUT=$2; shift 2;;
    --) shift; break;;
    *) echo "systemd-guest: unknown option $1" >&2; exit 2;;
  esac
done
usage="usage: systemd-guest.sh [--cgroup v2|hybrid] [--mem MB] [--cpus N] [--share DIR] [--timeout S] -- COMMAND..."
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
case "$CGROUP" in
  v2) CGROUP_ARGS="systemd.unified_cgroup_hierarchy=1";;
  # legacy_systemd_cgroup_controller=0: systemd tracks its units on the cgroup2 mount at /sys/fs/cgroup/unified
  # (hybrid) rather than on a named v1 hierarchy (legacy)
  hybrid) CGROUP_ARGS="systemd.unified_cgroup_hierarchy=0 systemd.legacy_systemd_cgroup_controller=0";;
  *) echo "systemd-guest: --cgroup $CGROUP: expected v2 or hybrid" >&2; exit 2;;
esac
SHARE=$(cd "$SHARE" && pwd)

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
ls /boot/vmlinuz-* >/dev/null 2>&1 || need+=(linux-image-amd64)
[ -x /bin/busybox ] || need+=(busybox-static)
[ -x /lib/systemd/systemd ] || need+=(systemd)
command -v dbus-daemon >/dev/null || need+=(dbus)
if [ ${#need[@]} -gt 0 ]; then
  echo "systemd-guest: installing ${need[*]}" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}") >&2
fi

KVER=$(ls /boot/vmlinuz-* | sort -V | tail -1 | sed 's|/boot/vmlinuz-||')
KDIR=/lib/modules/$KVER/kernel
CACHE=${SYSTEMD_GUEST_CACHE:-/var/cache/jrunc-systemd-guest}/$KVER
mkdir -p "$CACHE"

# The initramfs: busybox and the modules for the host's / over virtio-9p and the overlay on it. Its init builds the
# root (9p lower, tmpfs upper), mounts DIR in it and hands over to the per-run stage 2 named on the command line.
if [ ! -s "$CACHE/initrd.gz" ]; then
  R=$(mktemp -d)
  mkdir -p "$R/bin" "$R/mods" "$R/proc" "$R/sys" "$R/dev" "$R/lower" "$R/upper" "$R/newroot"
  cp /bin/busybox "$R/bin/busybox"
  MODS="drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_legacy_dev
        drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci fs/netfs/netfs
        fs/fscache/fscache net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p fs/overlayfs/overlay"
  i=0
  for m in $MODS; do
    f=$(ls "$KDIR/$m.ko"* 2>/dev/null | head -1) || true
    [ -n "$f" ] || continue
    i=$((i+1)); cp "$f" "$R/mods/$(printf %02d $i)-$(basename "$f")"
  done
  cat > "$R/init" <<'INIT'
#!/bin/busybox sh
B=/bin/busybox
fail() { echo "systemd-guest: $1"; $B poweroff -f; }
$B mount -t proc proc /proc; $B mount -t sysfs sys /sys; $B mount -t devtmpfs dev /dev
for m in /mods/*; do
  case $m in *.xz) $B xz -dc $m > /m.ko; $B insmod /m.ko;; *) $B insmod $m;; esac
done
# not cache=loose: its dentries are revalidated, and the overlay's would drop the mounts systemd makes on them
$B mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro host /lower || fail "cannot mount the host's root"
$B mount -t tmpfs -o mode=0755 upper /upper
$B mkdir -p /upper/data /upper/work
$B mount -t overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work root /newroot || fail "cannot mount the overlay root"
# the tmpfs mounts of run-in-vm.sh's guest, before DIR, which may be under one of them
$B mount -t tmpfs tmp /newroot/tmp; $B mount -t tmpfs vartmp /newroot/var/tmp
$B mkdir -p "/newroot$jrunc_share"
$B mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 share "/newroot$jrunc_share" || fail "cannot mount $jrunc_share"
$B umount /proc /sys /dev
exec $B switch_root /newroot /bin/sh "$jrunc_stage2"
INIT
  chmod +x "$R/init"
  (cd "$R" && find . | cpio -o -H newc 2>/dev/null | gzip > "$CACHE/initrd.gz.tmp") && mv "$CACHE/initrd.gz.tmp" "$CACHE/initrd.gz"
  rm -rf "$R"
fi

# Per-run exchange directory inside the shared dir: the command, its output, its status.
X=$(mktemp -d "$SHARE/.systemd-guest.XXXXXX")
trap 'rm -rf "$X"' EXIT
printf '%q ' "$@" > "$X/cmd"
cat > "$X/run" <<RUN
#!/bin/sh
sh -c "\$(cat $X/cmd)" > $X/stdout 2> $X/stderr
echo \$? > $X/status
sync
RUN
# Stage 2 is PID 1 on the overlay root, before systemd: it writes the guest's configuration into the tmpfs upper
# layer (the host's own /etc stays as it is), then becomes systemd.
cat > "$X/stage2" <<STAGE2
#!/bin/sh
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# the host's marker of a docker container: systemd would take the guest for one and read its settings from its own
# command line instead of the kernel's
rm -f /.dockerenv /run/.containerenv
# an empty machine ID makes systemd draw a new one for this boot; the host's (or D-Bus's copy of it) would make the
# guest's journal and bus claim to be the host
: > /etc/machine-id; rm -f /var/lib/dbus/machine-id
# the host's fstab names its disks; the guest has none
: > /etc/fstab
echo systemd-guest > /etc/hostname
# what basic.target would pull in from the host's configuration and a test guest must not start: timers (apt's are
# persistent, so they would run at once), NTP, the pstore and journal copies to /var, podman's socket, the first-boot
# questions on the console (an empty machine ID is a first boot)
cd /etc/systemd/system
for u in timers.target systemd-timesyncd.service systemd-pstore.service systemd-journal-flush.service \
    podman.socket systemd-firstboot.service; do
  ln -sfn /dev/null "\$u"
done
cat > jrunc-guest.target <<'UNIT'
[Unit]
Description=systemd-guest: the command and what it needs
Requires=basic.target jrunc-guest-command.service dbus.service
After=basic.target
UNIT
cat > jrunc-guest-command.service <<'UNIT'
[Unit]
Description=systemd-guest: the command
Requires=dbus.service
After=basic.target dbus.service
SuccessAction=poweroff-force
FailureAction=poweroff-force
[Service]
Type=oneshot
TimeoutStartSec=infinity
WorkingDirectory=$SHARE
Environment=HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
StandardInput=null
ExecStart=/bin/sh $X/run
UNIT
exec /lib/systemd/systemd
STAGE2

timeout "$TIMEOUT" qemu-system-x86_64 -machine accel=tcg -cpu max -smp "$CPUS" -m "$MEM" \
  -nographic -no-reboot -nodefaults -serial file:"$X/console" \
  -kernel /boot/vmlinuz-$KVER -initrd "$CACHE/initrd.gz" \
  -append "console=ttyS0 quiet loglevel=1 panic=-1 $CGROUP_ARGS systemd.unit=jrunc-guest.target systemd.show_status=error jrunc_share=$SHARE jrunc_stage2=$X/stage2" \
  -virtfs local,path=/,mount_tag=host,security_model=passthrough,readonly=on \
  -virtfs local,path="$SHARE",mount_tag=share,security_model=passthrough \
  </dev/null >/dev/null 2>"$X/qemu.err" || true

[ -f "$X/stdout" ] && cat "$X/stdout"
[ -f "$X/stderr" ] && cat "$X/stderr" >&2
if [ -f "$X/status" ]; then exit "$(cat "$X/status")"; fi
echo "systemd-guest: the guest did not finish the command (timeout ${TIMEOUT}s or boot failure); console tail:" >&2
tail -30 "$X/console" "$X/qemu.err" >&2 2>/dev/null || true
exit 125
