# shellcheck shell=bash
# setns-collectd - tests/integration/sanitizers.sh
#
# Sourced by asan-*.sh: runs another integration test with setns.so built
# with AddressSanitizer and UndefinedBehaviorSanitizer (gcc), in a build
# directory of its own ($BUILDDIR/asan), loaded into the real collectd
# with gcc's libasan preloaded (COLLECTD_WRAPPER, see lib.sh). The test
# must pass and no sanitizer may report anything: memory errors, undefined
# behaviour, and leaks at collectd's exit whose stack passes through
# setns.so. collectd and its python plugin keep memory until exit by
# design (config tree, interpreter); those leaks are suppressed by module
# in lsan-collectd.supp, never the plugin's.

set -u
SRCDIR=${SETNS_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILDDIR=${SETNS_BUILDDIR:-${SETNS_BUILD_DIR:-$SRCDIR/_build}}
ASAN_BUILD=$BUILDDIR/asan
SANITIZE='-fsanitize=address,undefined -fno-omit-frame-pointer'

sanitizer_skip() { echo "SKIP: $*"; exit 77; }

# The second build: the plugin only; the tests' generator is the main
# build's (a sanitized generator would only be slower).
asan_build() {
  [ -x "$BUILDDIR/tests/setns-gen" ] || { echo "FAIL: $BUILDDIR/tests/setns-gen not built"; exit 1; }
  mkdir -p "$ASAN_BUILD/tests"
  (
    flock 9
    cd "$ASAN_BUILD" || exit 1
    if [ ! -f Makefile ]; then
      "$SRCDIR/configure" -q CC=gcc CFLAGS="-g -O1 $SANITIZE" LDFLAGS="$SANITIZE" || exit 1
    fi
    make -s setns.la > build.log 2>&1 || { cat build.log; exit 1; }
  ) 9> "$ASAN_BUILD.lock" || { echo "FAIL: the ASan build in $ASAN_BUILD failed"; exit 1; }
  ln -sf "$BUILDDIR/tests/setns-gen" "$ASAN_BUILD/tests/setns-gen"
}

# asan_run TEST: TEST (a script of tests/integration/) on the sanitized
# plugin, then the reports.
asan_run() {
  local libasan reports rc f
  [ "$(id -u)" = 0 ] || sanitizer_skip "loading BPF programs needs root"
  libasan=$(gcc -print-file-name=libasan.so)
  [ -f "$libasan" ] || sanitizer_skip "gcc has no libasan ($libasan)"
  asan_build
  reports=$(mktemp -d /tmp/setns-asan.XXXXXX)
  # collectd runs as root: the reports are written by it, read by us
  chmod 755 "$reports"
  # a smaller quarantine: flood.sh checks collectd's memory stays flat
  COLLECTD_WRAPPER="env LD_PRELOAD=$libasan \
ASAN_OPTIONS=log_path=$reports/asan:detect_leaks=1:quarantine_size_mb=16:abort_on_error=0 \
LSAN_OPTIONS=suppressions=$SRCDIR/tests/integration/lsan-collectd.supp:print_suppressions=0 \
UBSAN_OPTIONS=log_path=$reports/ubsan:print_stacktrace=1"
  SETNS_EXPECT_LIB=$(readlink -f "$libasan")
  export COLLECTD_WRAPPER SETNS_FLOOD_RSS_KIB=32768 SETNS_EXPECT_LIB
  SETNS_BUILDDIR=$ASAN_BUILD bash "$SRCDIR/tests/integration/$1"
  rc=$?
  for f in "$reports"/*; do
    [ -s "$f" ] || continue
    echo "  sanitizer report ${f##*/}:"
    sed 's/^/    /' "$f" | head -80
    rc=1
  done
  rm -rf "$reports"
  case $rc in
    0) echo "PASS: $1 with setns.so under ASan and UBSan: no report" ;;
    77) ;;
    *) echo "FAIL: $1 with setns.so under ASan and UBSan (exit $rc)"; rc=1 ;;
  esac
  exit "$rc"
}
