# shellcheck shell=bash
# setns-collectd - scripts/common.sh: what scripts/check and scripts/demo share.

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${SETNS_BUILD_DIR:-$TOP/_build}

# Debian 12 packages, by what needs them. Each set holds the one before.
#
# Building: autotools, collectd's headers, libbpf, clang for the BPF target,
# bpftool for the skeleton, pod2man (perl) for the man page.
BUILD_PACKAGES=(
  build-essential autoconf automake libtool pkg-config perl
  collectd-core collectd-dev libbpf-dev bpftool libelf-dev zlib1g-dev
  libyajl-dev
  clang llvm
)
# scripts/demo: the joins it makes (ip netns, unshare, nsenter, pgrep),
# collectd's python plugin for its notification consumer (libpython3.11,
# which collectd-core only suggests) and rrdtool for its graph (with
# librrd8, for collectd's rrdtool plugin).
DEMO_PACKAGES=(
  "${BUILD_PACKAGES[@]}"
  iproute2 util-linux procps python3 libpython3.11 rrdtool
)
# scripts/check: the kernel matrix boots other kernels
# (qemu-system-x86 brings virtiofsd for the kernels without 9p; zstd and
# lz4 unpack the 6.12 and 6.1 cloud kernel images; the kernels themselves
# are fetched by tests/kernels/fetch-kernel with apt-get download), the
# tests run real containers (podman on runc, docker with its own
# containerd), fuzz with clang's libFuzzer and run collectd under
# valgrind. The arm64 kernel (tests/kernels/arm64) cross-builds with clang
# and lld, as Debian's gcc cross compilers cannot be installed beside
# gcc-multilib, with binutils for aarch64 (libtool reads symbols with its
# nm) and a 32-bit ARM libc and libgcc for the 32-bit caller; its userland
# comes from Debian's arm64 packages. LXC and systemd-nspawn
# (systemd-container) are runtimes the tests run too; containerd's ctr
# comes with containerd. graphite-web for the test of
# contrib/setns_graphite_events.py. prometheus-alertmanager for the alerts
# test, which runs its own on a free port (where systemd runs, the
# package's postinst also starts one on :9093, which no test talks to);
# collectd-core only suggests the libraries of write_http and
# log_logstash (libcurl3-gnutls, libyajl2). The package tests build the
# .deb (debhelper with dh-autoreconf, fakeroot, git to list the tree) and
# check it with lintian and man, then read the rrd files Debian's collectd
# writes with rrdtool. Debian's collectd package itself is installed and
# purged by tests/integration/distro.sh, not here: installed for good, it
# would start a system collectd (its postinst does) beside every test.
# mmdebstrap makes the fresh Debian root in which
# tests/integration/fresh-root.sh runs the demo as a new machine would.
PACKAGES=(
  "${DEMO_PACKAGES[@]}"
  gcc-multilib
  qemu-system-x86 busybox-static cpio kmod xz-utils zstd lz4
  qemu-system-arm lld binutils-aarch64-linux-gnu libc6-dev-armhf-cross
  libgcc-12-dev-armhf-cross
  graphite-carbon python3-whisper graphite-web
  prometheus-alertmanager libcurl3-gnutls libyajl2 curl
  podman runc catatonit containernetworking-plugins conmon docker.io containerd
  lxc systemd-container
  libclang-rt-14-dev valgrind
  debhelper fakeroot git lintian man-db
  mmdebstrap
)

# install_missing PACKAGE...: apt-get install those of them not installed.
install_missing() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "scripts: run as root to install ${missing[*]}" >&2
    return 1
  fi
  # apt's output in a log beside the build, one line here
  local log=$BUILD/install.log
  mkdir -p "$BUILD"
  printf '== installing %d packages (log: %s): ' "${#missing[@]}" "$log"
  if apt-get update -q > "$log" 2>&1 &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "${missing[@]}" >> "$log" 2>&1; then
    echo ok
  else
    echo "failed (${missing[*]}); the end of the log:"
    tail -20 "$log" >&2
    return 1
  fi
}

# Out of tree, like a package builder would: configure is made from the
# committed configure.ac and nothing generated is kept in git.
build() {
  echo "== building in $BUILD"
  (cd "$TOP" && autoreconf -fi >/dev/null 2>&1) || { echo "autoreconf failed" >&2; return 1; }
  mkdir -p "$BUILD"
  (cd "$BUILD" && { [ -f Makefile ] || "$TOP/configure" -q; } && make -s -j"$(nproc)")
}
