#!/bin/bash
# setns-collectd - tests/kernels/degraded.sh
#
# What the plugin does on a kernel that lacks something, run as root in a
# throw-away VM (tests/kernels/run boots one for it): each case runs in a
# mount namespace of its own that hides a piece of the kernel from it.
#
#  no BTF      /sys/kernel/btf covered by an empty tmpfs. Every AttachMode
#              must give one ERROR naming the missing BTF; the plugin stays
#              off, collectd keeps running.
#  no tracefs, no kprobes
#              /sys/kernel covered by a tmpfs with only btf in it, as on a
#              kernel without tracing (no /sys/kernel/tracing to mount
#              tracefs on, no debugfs), and the kprobe PMU's sysfs
#              directory emptied. "kprobe" and "tracepoint" must give one
#              ERROR each naming what they miss; fentry and raw_tracepoint
#              need neither and count exactly; "auto" chooses fentry.
#
# Prints "KERNEL <uname -r> (<case>) MODE <mode>: PASS|FAIL (why)" per case
# and mode; exits non-zero if any failed. `degraded.sh --case CASE MODE`
# is one of them: it hides CASE's piece in the mount namespace it runs in.

set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
MODES=(auto fentry kprobe tracepoint raw_tracepoint)
BTF_MISSING='the kernel has no BTF at /sys/kernel/btf/vmlinux'

# hide CASE: makes the piece missing, in the caller's mount namespace.
hide() {
  case $1 in
    nobtf)
      mount -t tmpfs -o mode=0755,size=64k nobtf /sys/kernel/btf || return 1
      [ ! -e /sys/kernel/btf/vmlinux ] ;;
    notracing)
      local keep
      keep=$(mktemp -d /run/degraded.XXXXXX) || return 1
      umount -l /sys/kernel/debug /sys/kernel/tracing 2>/dev/null
      mount --bind /sys/kernel "$keep" &&
        mount -t tmpfs -o mode=0755,size=64k notracing /sys/kernel &&
        mkdir /sys/kernel/btf && mount --bind "$keep/btf" /sys/kernel/btf &&
        umount -l "$keep" && rmdir "$keep" || return 1
      # /sys/bus/event_source/devices/kprobe links to /sys/devices/kprobe.
      mount -t tmpfs -o mode=0755,size=64k nokprobes /sys/devices/kprobe || return 1
      [ -r /sys/kernel/btf/vmlinux ] && [ ! -e /sys/kernel/tracing ] &&
        [ ! -e /sys/bus/event_source/devices/kprobe/type ] &&
        ! mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null ;;
  esac
}

if [ "${1:-}" = --case ]; then
  CASE=$2 MODE=$3
  hide "$CASE" || { echo "FAIL: could not hide what $CASE hides"; exit 1; }
  . "$HERE/../integration/lib.sh"
  require_root

  # refused PATTERN: AttachMode MODE gives one ERROR matching PATTERN, no
  # setns values, and collectd goes on reading.
  refused() {
    local errors
    start_collectd "AttachMode \"$MODE\""
    wait_attach && fail "attached in $DETAIL mode"
    wait_reads 1 load load
    errors=$(grep '\[error\] setns plugin:' "$WORK/collectd.log")
    sed 's/^/  /' <<<"$errors"
    expect "ERROR lines" "$(grep -c . <<<"$errors")" 1
    grep -qE -- "$1" <<<"$errors" || bad "the ERROR does not say: $1"
    wait_reads 1 load load
    [ -z "$(ls "$WORK/csv/$HOST/setns" 2>/dev/null)" ] || bad "setns values dispatched"
    stop_collectd
    finish "one ERROR: ${errors##*setns plugin: }"
  }

  # counted WANT: AttachMode MODE attaches in WANT mode and counts joins.
  counted() {
    start_attached "AttachMode \"$MODE\""
    grep 'setns plugin: attached in' "$WORK/collectd.log" | sed 's/^/  /'
    expect "attached in" "$DETAIL" "$1"
    snapshot before
    "$GEN" net 3 uts 2 || fail "generator could not make its joins"
    wait_reads 2
    snapshot after
    expect_delta operations-net 3
    expect_delta operations-uts 2
    stop_collectd
    expect_unloaded
    finish "attached in $DETAIL mode, exact counts"
  }

  case $CASE:$MODE in
    nobtf:*) refused "$BTF_MISSING" ;;
    notracing:kprobe) refused 'AttachMode "kprobe" cannot attach: kernel has no kprobes' ;;
    notracing:tracepoint)
      refused 'AttachMode "tracepoint" cannot attach: tracefs not mounted and mounting it at /sys/kernel/tracing failed' ;;
    notracing:auto) counted fentry ;;
    notracing:*) counted "$MODE" ;;
  esac
  fail "no case $CASE:$MODE"
fi

failed=0
CASES=("nobtf|no BTF" "notracing|no tracefs, no kprobes")
# the rows due, so that tests/kernels/run counts any that never come
echo "ROWS $((${#CASES[@]} * ${#MODES[@]}))"
for c in "${CASES[@]}"; do
  case=${c%%|*} label="$(uname -r) (${c#*|})"
  for m in "${MODES[@]}"; do
    out=$(unshare --mount --propagation private bash "$HERE/degraded.sh" --case "$case" "$m" 2>&1)
    rc=$?
    sed "s/^/  [$case $m] /" <<<"$out"
    case $rc in
      0) echo "KERNEL $label MODE $m: PASS" ;;
      *) why=$(grep -m1 -E '^(FAIL:|  FAILED:)' <<<"$out" | sed -E 's/^(FAIL: |  FAILED: )//')
         echo "KERNEL $label MODE $m: FAIL (${why:-exit $rc})"
         failed=$((failed + 1)) ;;
    esac
  done
done
[ "$failed" -eq 0 ]
