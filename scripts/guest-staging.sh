# Sourced by the guest-side scripts (cgroup-v2-guest.sh, systemd-tests-in-guest.sh), with target/launcher.env read and
# the repository as the working directory.
#
# Every JVM start maps the JDK's modules, libjvm and class-data archive and jrunc's jar and archives: read over 9p
# that costs 5-20 s a start, from tmpfs 1-3 s. The copies are mounted over the originals, so every path (which the
# archives check) stays the same. The busybox rootfs, copied for each bundle, goes to tmpfs too.

# stage PATH: a tmpfs copy of PATH mounted over it
stage() {
  local copy=/tmp/staged$1
  mkdir -p "${copy%/*}"
  cp -a "$1" "$copy"
  mount --bind "$copy" "$1"
}

# stage_jvm_files: the JDK's and jrunc's files every JVM start reads, and the spec-tests' rootfs
stage_jvm_files() {
  local repo=$PWD jdk f
  jdk=$(dirname "$(dirname "$JRUNC_JAVA")")
  shopt -s nullglob
  for f in "$jdk/lib/modules" "$jdk/lib/server/libjvm.so" "$jdk/lib/server/classes.jsa" "$repo/target/jrunc.jar" \
      "$repo"/target/jrunc-*.aot "$repo"/target/jrunc-*.jsa "$repo/target/native" "$repo/target/spec-rootfs"; do
    [ -e "$f" ] && stage "$f"
  done
  shopt -u nullglob
}
