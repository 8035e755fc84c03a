# shellcheck shell=bash
# setns-collectd - scripts/common.sh: what scripts/check and scripts/demo share.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${SETNS_BUILD_DIR:-$TOP/_build}

# Debian 12 packages: build, run the real collectd, make namespace joins,
# boot other kernels for the kernel matrix, and run real containers
# (podman on runc, docker with its own containerd), fuzz with clang's
# libFuzzer and run collectd under valgrind. collectd's python plugin,
# the tests' consumer of notifications, needs libpython3.11, which
# collectd-core only suggests. The package tests build the .deb
# (debhelper with dh-autoreconf, fakeroot, git to list the tree) and check
# it with lintian, then read the rrd files Debian's collectd writes with
# rrdtool. Debian's collectd package itself is installed and purged by
# tests/integration/distro.sh, not here: installed for good, it would
# start a system collectd (its postinst does) beside every test.
PACKAGES=(
  build-essential gcc-multilib autoconf automake libtool pkg-config
  collectd-core collectd-dev libbpf-dev bpftool libelf-dev zlib1g-dev
  clang llvm iproute2 util-linux procps python3 libpython3.11
  qemu-system-x86 busybox-static cpio kmod xz-utils
  graphite-carbon python3-whisper
  podman runc catatonit containernetworking-plugins conmon docker.io containerd
  libclang-rt-14-dev valgrind
  debhelper fakeroot git lintian rrdtool
)

install_missing() {
  local missing=() p
  for p in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "== installing: ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then
    echo "scripts: run as root to install ${missing[*]}" >&2
    return 1
  fi
  apt-get update -q >/dev/null &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${missing[@]}" >/dev/null
}

# Out of tree, like a package builder would: configure is made from the
# committed configure.ac and nothing generated is kept in git.
build() {
  echo "== building in $BUILD"
  (cd "$TOP" && autoreconf -fi >/dev/null 2>&1) || { echo "autoreconf failed" >&2; return 1; }
  mkdir -p "$BUILD"
  (cd "$BUILD" && { [ -f Makefile ] || "$TOP/configure" -q; } && make -s -j"$(nproc)")
}
