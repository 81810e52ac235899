#!/usr/bin/env bash
# Package-time step (run by Maven after the shaded jar is built):
#  1. unpack JNA's native stub, so no JVM start has to extract it again;
#  2. pick the newest installed JDK (17 or later) for the launcher;
#  3. build that JDK's class-data archive from a training run: a JDK 25+ AOT cache (JEP 483/514), or a JDK 17
#     AppCDS archive. The archive only matches this exact jar and JDK build, hence building it here.
#  4. write target/launcher.env, which bin/jrunc sources.
set -euo pipefail
target=$(cd "${1:?usage: build-archives.sh TARGET_DIR}" && pwd)
jar="$target/jrunc.jar"
[ -f "$jar" ] || { echo "build-archives: $jar is missing" >&2; exit 1; }

case "$(uname -m)" in
  x86_64) jnadir=linux-x86-64; libdir=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu ;;
  aarch64) jnadir=linux-aarch64; libdir=/lib/aarch64-linux-gnu:/usr/lib/aarch64-linux-gnu ;;
  *) echo "build-archives: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
rm -rf "$target/native"
mkdir -p "$target/native"
(cd "$target/native" && unzip -q -o -j "$jar" "com/sun/jna/$jnadir/libjnidispatch.so")
chmod 0755 "$target/native/libjnidispatch.so"

# the newest JDK: Temurin/OpenJDK under /usr/lib/jvm, or JAVA_HOME, or java on PATH
best="" best_major=0
candidates=()
for d in /usr/lib/jvm/*/; do candidates+=("${d%/}"); done
[ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
for home in "${candidates[@]}"; do
  [ -x "$home/bin/java" ] || continue
  [ -L "$home" ] && continue
  v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true)
  [ -n "$v" ] || continue
  if [ "$v" -ge 17 ] && [ "$v" -gt "$best_major" ]; then best=$home; best_major=$v; fi
done
if [ -z "$best" ]; then
  java_bin=$(command -v java) || { echo "build-archives: no JDK found" >&2; exit 1; }
  best=$(dirname "$(dirname "$(readlink -f "$java_bin")")")
  best_major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$best/release")
fi
java="$best/bin/java"

# Flags for every jrunc JVM: C1 only, serial GC, no hsperfdata file, JNA from the unpacked stub without ldconfig, and
# core reflection through the VM's native accessors: JDK 22+ otherwise spins method-handle classes for each record
# constructor config.json is read into (~10x slower for a call that reflects once; ConfigReader).
common=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xss512k -Djdk.reflect.useNativeAccessorOnly=true
        -XX:+UnlockDiagnosticVMOptions -XX:GuaranteedSafepointInterval=0
        "-Djna.boot.library.path=$target/native" -Djna.nounpack=true -Djna.nosys=true
        "-Djna.platform.library.path=$libdir")
# JDK 22+ warns on stderr when JNA loads its library unless native access is granted; a warning there would land in
# the container's stderr when printed by a stage JVM
[ "$best_major" -ge 22 ] && common+=(--enable-native-access=ALL-UNNAMED)
rm -f "$target"/jrunc-*.aot "$target"/jrunc-*.jsa
# archive NAME [TRAINING-ARGS]: prints the JVM flag that uses it, or nothing if it could not be built
archive() {
  local name=$1; shift
  if [ "$best_major" -ge 25 ]; then
    local file="$target/jrunc-$best_major-$name.aot"
    "$java" "${common[@]}" -XX:AOTCacheOutput="$file" -Xlog:aot=off -Xlog:cds=off \
        -cp "$jar" org.jrunc.tools.Training "$@" >/dev/null 2>&1 || true
    [ -s "$file" ] && echo "-XX:AOTCache=$file"
  else
    local file="$target/jrunc-$best_major-$name.jsa"
    "$java" "${common[@]}" -XX:ArchiveClassesAtExit="$file" -Xlog:cds=off \
        -cp "$jar" org.jrunc.tools.Training "$@" >/dev/null 2>&1 || true
    [ -s "$file" ] && echo "-XX:SharedArchiveFile=$file"
  fi
  return 0
}
# archives: an AOT cache loads all its classes at start-up, so the hot commands get their own: `state` (the call
# containerd and podman make most), start/kill/delete, and pause/resume/ps/list/events (Training.Archive)
full_flag=$(archive full)
hot_flag=$(archive hot hot)
state_flag=$(archive state state)
manage_flag=$(archive manage manage)
# a fifth for pull and cache (Training's ImageTraining), so that no other command's archive holds the image code; its
# training pulls into a scratch cache
image_cache=$(mktemp -d)
images_flag=$(JRUNC_CACHEDIR=$image_cache archive images images)
rm -rf "$image_cache"
archive_flag=()
[ -n "$full_flag" ] && archive_flag=("$full_flag")
[ -n "$full_flag" ] || echo "build-archives: warning: no class-data archive for $java; jrunc will start more slowly" >&2

# The stage JVMs (container init, exec) must also never print: their stdout and stderr are the container's.
stage=("${common[@]}" "${archive_flag[@]}" -Xmx64m -Xlog:disable -Xlog:all=off)
{
  echo "# written by scripts/build-archives.sh; sourced by bin/jrunc"
  printf 'JRUNC_JAVA=%q\n' "$java"
  printf 'JRUNC_JVM_OPTS=(' ; printf '%q ' "${common[@]}"; echo ')'
  printf 'JRUNC_ARCHIVE_FULL=%q\n' "$full_flag"
  printf 'JRUNC_ARCHIVE_HOT=%q\n' "$hot_flag"
  printf 'JRUNC_ARCHIVE_STATE=%q\n' "$state_flag"
  printf 'JRUNC_ARCHIVE_MANAGE=%q\n' "$manage_flag"
  printf 'JRUNC_ARCHIVE_IMAGES=%q\n' "$images_flag"
  printf 'JRUNC_STAGE_OPTS=%q\n' "$(printf '%s\n' "${stage[@]}")"
} > "$target/launcher.env"
echo "build-archives: launcher uses $java (JDK $best_major), archives: ${full_flag:-none} ${hot_flag:-} ${state_flag:-} ${manage_flag:-} ${images_flag:-}"
