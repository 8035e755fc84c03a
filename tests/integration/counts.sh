#!/bin/bash
# setns-collectd - tests/integration/counts.sh MODE
#
# Real collectd, the plugin in attach mode MODE, and a generator making an
# exact number of joins of every namespace type (nstype named, nstype 0, a
# pidfd with several flags) and of failures: collectd must receive exactly
# those deltas, and leave nothing loaded when it exits. One more join must
# come back as a notification whose namespaces before the call (seen by
# the mode's entry hook) and after it are the caller's own. Once a flood
# has paused the kernel's events, the entry hook must be detached (no
# runs), and attached again at the next interval.
#
# A 32-bit program's setns calls count too wherever 32-bit programs run,
# but in tracepoint mode, which cannot see them and says so at init; its
# calls of the 64-bit ABI's setns number (ia32 pselect6, AArch32 tgkill)
# never count.
#
# A mode this kernel cannot offer is skipped with the kernel's reason,
# unless SETNS_REQUIRE_MODES names it (the kernel matrix does, where every
# mode must work). SETNS_EXPECT_AUTO names the mode "auto" must choose.

. "$(dirname "$0")/lib.sh"

MODE=${1:?mode}
require_root

start_collectd "AttachMode \"$MODE\"
$WITH_RETURNS" notify_json
if ! wait_attach; then
  why=$(kernel_lacks "$MODE" "$DETAIL")
  case " ${SETNS_REQUIRE_MODES:-} " in *" $MODE "*) why= ;; esac
  [ -n "$why" ] && skip "$MODE mode on $(uname -r): $why"
  fail "$MODE mode did not attach: $DETAIL"
fi
time_n=2
[ -e /proc/self/ns/time ] || time_n=0 # no time namespaces before Linux 5.6
# 32-bit calls (x86-64's ia32, arm64's AArch32): seen in every mode but
# tracepoint. Left out, saying why, where the kernel runs no 32-bit
# programs, where tests/setns32 was not built (an arm64 build without a
# 32-bit ARM compiler) or where the CPU cannot run it (arm64 CPUs without
# AArch32); SETNS_REQUIRE_32BIT makes that a failure.
SETNS32=$BUILDDIR/tests/setns32
why32=
if ! grep -qE ' (__ia32_sys_setns|__arm64_compat_sys_ioctl)$' /proc/kallsyms; then
  why32="the kernel runs no 32-bit programs"
elif [ ! -e "$SETNS32" ]; then
  why32="tests/setns32 not built (no 32-bit compiler at configure)"
else
  "$SETNS32" setns 0 > /dev/null 2>&1
  [ $? != 126 ] || why32="this CPU cannot run 32-bit programs"
fi
if [ "$MODE" = auto ]; then
  grep -E 'attached in .* mode \(auto' "$WORK/collectd.log" | sed 's/^/  /'
  [ -z "${SETNS_EXPECT_AUTO:-}" ] || expect "auto chose" "$DETAIL" "$SETNS_EXPECT_AUTO"
  # Where no 32-bit program runs (setns32 refused with ENOEXEC), no caller
  # needs a hook on every syscall: auto says so, and takes raw_tracepoint
  # only when the syscall tracepoint itself failed. Where they run, it
  # says that too.
  if [ "$why32" = "this CPU cannot run 32-bit programs" ]; then
    grep -qE 'no 32-bit \((ia32|AArch32)\) program can run here' "$WORK/collectd.log" ||
      bad "auto did not say that no 32-bit program can run here"
    [ "$DETAIL" != raw_tracepoint ] || grep -q 'tracepoint skipped: ' "$WORK/collectd.log" ||
      bad "auto hooked every syscall where no 32-bit program runs"
  elif [ -z "$why32" ]; then
    grep -qE '32-bit \((ia32|AArch32)\) programs run here' "$WORK/collectd.log" ||
      bad "auto did not say that 32-bit programs run here"
  fi
  # every cheaper mode must be named with the reason it was passed over
  for m in fentry kprobe tracepoint raw_tracepoint; do
    [ "$m" = "$DETAIL" ] && break
    grep -q "$m skipped: " "$WORK/collectd.log" || bad "auto did not say why it skipped $m"
  done
else
  expect "attached in" "$DETAIL" "$MODE"
fi

# kprobe mode: tracefs kretprobes that hold 4096 sleepers each, not the
# kprobe PMU's 2 per CPU, and gone once collectd is
KPROBE_EVENTS=/sys/kernel/tracing/kprobe_events
if [ "$DETAIL" = kprobe ]; then
  expect "kretprobes with maxactive 4096" \
    "$(grep -c '^r4096:setns_collectd/setns_' "$KPROBE_EVENTS")" \
    "$(grep -q __ia32_sys_setns /proc/kallsyms && echo 2 || echo 1)"
fi

if [ -z "$why32" ]; then
  uts32=4
else
  uts32=0
  if [ -n "${SETNS_REQUIRE_32BIT:-}" ]; then bad "32-bit calls: $why32"
  else echo "  32-bit calls left out: $why32"; fi
fi
if [ "$DETAIL" = tracepoint ] && [ "$uts32" != 0 ]; then
  uts32=0
  grep -qE 'tracepoint.*miss 32-bit \((ia32|AArch32)\) callers' "$WORK/collectd.log" ||
    bad "tracepoint mode did not warn that it misses 32-bit callers"
fi

# exact_counts: the generator's joins of every type and its failures (and
# the 32-bit program's calls), and exactly those deltas received.
exact_counts() {
  wait_reads 1
  snapshot before
  "$GEN" net 3 mnt 2 pid 2 uts 2 ipc 2 cgroup 2 time $time_n user 2 \
    zero-net 2 zero-uts 1 zero-mnt 1 pidfd 2 ebadf 3 einval 2 eperm 1 ||
    fail "generator could not make its joins"
  # and the 64-bit setns number in the 32-bit ABI, which is no setns
  [ -n "$why32" ] || { "$SETNS32" setns 4 && "$SETNS32" native-nr 3; } ||
    fail "the 32-bit program could not make its calls"
  wait_reads 2
  snapshot after
  expect_delta operations-net $((3 + 2 + 2)) # named, nstype 0, pidfd
  expect_delta operations-mnt $((2 + 1))
  expect_delta operations-pid 2
  expect_delta operations-uts $((2 + 1 + 2 + uts32))
  expect_delta operations-ipc $((2 + 2))
  expect_delta operations-cgroup 2
  expect_delta operations-time $time_n
  expect_delta operations-user 2
  expect_delta errors-ebadf 3
  expect_delta errors-einval 2
  expect_delta errors-eperm 1
  expect_delta total_events-runs_missed 0
}
exact_counts

"$GEN" --comm mode-check pidfd 1 || fail "generator could not make its pidfd join"
own=$(for t in net uts ipc; do stat -L -c %i /proc/self/ns/$t; done | paste -sd,)
wait_note comm=mode-check
expect_note joined=net,uts,ipc ns_inode_old="$own" ns_inode_new="$own" direction=same

stop_collectd
grep -q 'Exiting normally' "$WORK/collectd.log" || bad "collectd did not exit normally"

# With nothing asked but counts (no notifications, no ReportByProcess), the
# exit program's counting twin is loaded in its place: the same exact
# counts from it.
case $DETAIL in
  fentry) exit_prog=fexit_setns count_prog=fexit_count ;;
  kprobe) exit_prog=kretprobe_setns count_prog=kretprobe_count ;;
  tracepoint) exit_prog=tp_exit_setns count_prog=tp_count_setns ;;
  raw_tracepoint) exit_prog=raw_tp_exit count_prog=raw_tp_count ;;
esac
start_collectd "AttachMode \"$MODE\"
Notifications false"
wait_attach || fail "$MODE mode did not attach with Notifications false: $DETAIL"
progs=$(bpftool_show prog) || exit 1
grep -q " name $count_prog " <<<"$progs" || bad "counting only: $count_prog not loaded"
! grep -q " name $exit_prog " <<<"$progs" || bad "counting only: $exit_prog loaded too"
exact_counts
stop_collectd

# The entry program of the mode attached: detached while paused. The
# interval is long enough for the paused part to fit in one.
case $DETAIL in
  fentry) entry=fentry_setns ;; kprobe) entry=kprobe_setns ;;
  tracepoint) entry=tp_enter_setns ;; raw_tracepoint) entry=raw_tp_enter ;;
esac
# SETNS_PAUSE_INTERVAL: longer under emulation, where bpftool and python
# take seconds to start
INTERVAL=${SETNS_PAUSE_INTERVAL:-6}
start_paused_part() {
  start_collectd "AttachMode \"$DETAIL\"
$WITH_RETURNS
MaxNotificationsPerInterval 10
ReportOverhead true" notify_json
  wait_attach || fail "$DETAIL mode did not attach again: $DETAIL"
}
start_paused_part
# The paused part holds only within one interval: the next read attaches
# the hook again. Where it did not fit (slow emulation on a busy
# machine), it is done again with an interval twice as long.
for attempt in 1 2 3; do
  wait_reads 1
  reads=$(csv_lines setns operations-net)
  "$GEN" net 20 || fail "generator could not make its joins"
  # The event thread uses up root's share and pauses it, and the entry
  # hook goes: within a second here, some seconds under emulation.
  runs=$(run_cnt "$entry")
  for ((i = 0; i < 50; i++)); do
    "$GEN" net 1 || fail "generator could not make its joins"
    now=$(run_cnt "$entry")
    [ "$now" = "$runs" ] && break
    runs=$now
    sleep 0.1
  done
  "$GEN" net 1000 || fail "generator could not make its joins"
  runs=$(($(run_cnt "$entry") - runs))
  [ "$(csv_lines setns operations-net)" = "$reads" ] && break
  echo "  the paused part outlasted its interval of $INTERVAL s (try $attempt)"
  [ "$attempt" = 3 ] && break
  INTERVAL=$((INTERVAL * 2))
  start_paused_part
done
# where a detached fentry program cannot be attached again (5.10), the
# plugin keeps it, says so, and it runs on
if grep -q 'entry hooks stay attached through floods' "$WORK/collectd.log"; then
  [ "$DETAIL" = fentry ] || bad "$DETAIL mode kept its entry hooks through a flood"
  echo "  $entry kept through the flood: $runs runs while paused"
else
  expect "$entry runs while paused" $runs 0
fi
wait_reads 1 # a new interval: attached again
runs=$(run_cnt "$entry")
"$GEN" net 3 || fail "generator could not make its joins"
runs=$(($(run_cnt "$entry") - runs))
[ "$runs" -ge 3 ] || bad "$entry ran $runs times for 3 joins in the next interval"
stop_collectd
expect_unloaded
# kprobe events the plugin left: a failure, and removed, so that no later
# test runs with them
if [ -e "$KPROBE_EVENTS" ] && grep -q 'setns_collectd/' "$KPROBE_EVENTS"; then
  bad "kprobe events left after collectd exited: $(grep setns_collectd/ "$KPROBE_EVENTS" | paste -sd' ')"
  for e in $(sed -n 's/^[pr0-9]*:\(setns_collectd\/[^ ]*\) .*/\1/p' "$KPROBE_EVENTS"); do
    echo "-:$e" >> "$KPROBE_EVENTS"
  done
fi
finish "$MODE mode on $(uname -r): exact counts, a faithful notification, nothing left loaded"
