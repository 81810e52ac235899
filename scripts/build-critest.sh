#!/usr/bin/env bash
# Builds critest and crictl of cri-tools v1.32.0, the CRI validation suite that CriConformanceTest runs through
# containerd, once into /var/cache/jrunc-ci/critest-v1.32.0 (outside the repository, keyed by version, so a second
# run costs nothing), with Go 1.23 from bookworm-backports (setup-host.sh installs it). critest is a Go test binary
# (go test -c), so `go install` cannot make it: the module is downloaded through the Go module proxy and built in
# place. JRUNC_CRI_TOOLS_SRC=DIR, or /var/cache/jrunc-ci/src/cri-tools-v1.32.0 when it holds one, builds from a
# checkout of that tag instead (cri-tools vendors its dependencies, so that build needs no network). Without either,
# it says so and exits 1; the CRI suite is then skipped.
set -euo pipefail
version=v1.32.0
cache=/var/cache/jrunc-ci
out=$cache/critest-$version
go=/usr/lib/go-1.23/bin/go
[ -x "$out/critest" ] && [ -x "$out/crictl" ] && exit 0
[ -x "$go" ] || { echo "build-critest: $go is missing (golang-1.23-go from bookworm-backports)" >&2; exit 1; }
export GOTOOLCHAIN=local GOCACHE=$cache/go-build GOMODCACHE=$cache/gomod GOPATH=$cache/gopath CGO_ENABLED=0
# a checkout kept from an earlier build is used again
[ -n "${JRUNC_CRI_TOOLS_SRC:-}" ] || [ ! -f "$cache/src/cri-tools-$version/go.mod" ] || JRUNC_CRI_TOOLS_SRC=$cache/src/cri-tools-$version
if [ -n "${JRUNC_CRI_TOOLS_SRC:-}" ]; then
  src=$JRUNC_CRI_TOOLS_SRC
  export GOFLAGS=-mod=vendor GOPROXY=off
else
  # outside any module, `go mod download MODULE@VERSION` fetches into the module cache and prints where
  src=$(cd /tmp && GOFLAGS=-mod=mod "$go" mod download -json "sigs.k8s.io/cri-tools@$version" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p') || src=
  [ -n "$src" ] || { echo "build-critest: cannot download sigs.k8s.io/cri-tools@$version through the Go module proxy; set JRUNC_CRI_TOOLS_SRC to a checkout of $version" >&2; exit 1; }
  export GOFLAGS=-mod=readonly
fi
echo "build-critest: building critest and crictl $version from $src" >&2
mkdir -p "$out.tmp"
ldflags="-X sigs.k8s.io/cri-tools/pkg/version.Version=${version#v}"
(cd "$src" && "$go" test -c -trimpath -ldflags "$ldflags" -o "$out.tmp/critest" ./cmd/critest)
(cd "$src" && "$go" build -trimpath -ldflags "$ldflags" -o "$out.tmp/crictl" ./cmd/crictl)
rm -rf "$out"
mv "$out.tmp" "$out"
