#!/bin/bash
# setns-collectd - tests/integration/overhead.sh
#
# What the plugin says about itself. Through the python plugin: one
# notification, severity okay, naming the attach mode and why each cheaper
# one was passed over. Through the csv plugin: gauge-attach_mode every
# interval, and with ReportOverhead the programs' run time and runs, which
# the kernel keeps only while the plugin holds its statistics on. In a mode
# whose exit program runs for setns alone, the runs are exactly the calls
# made. (counts.sh checks, in every mode, that a paused interval runs no
# entry program.)

. "$(dirname "$0")/lib.sh"

require_root
require bpftool
N=2000
mode_value() { case $1 in fentry) echo 1 ;; kprobe) echo 2 ;; tracepoint) echo 3 ;; raw_tracepoint) echo 4 ;; esac; }
stats_was=$(sysctl -n kernel.bpf_stats_enabled)

echo "auto mode, defaults, ReportOverhead true:"
start_attached 'ReportOverhead true' notify_json
# The mode must be one the kernel offers, and the reason must name every
# cheaper mode as passed over; its words are the plugin's own, so the
# notification must say what the log says.
[ -z "$(kernel_lacks "$DETAIL" "")" ] || bad "auto chose $DETAIL, which this kernel lacks"
reason=$(sed -nE 's/.*setns plugin: attached in [a-z_]+ mode \((.*)\)$/\1/p' "$WORK/collectd.log")
for m in fentry kprobe tracepoint raw_tracepoint; do
  [ "$m" = "$DETAIL" ] && break
  [[ $reason == *"$m skipped: "* ]] || bad "the reason does not say why $m was passed over: $reason"
done
wait_note type_instance=attach_mode
expect_note severity=4 mode="$DETAIL" reason="$reason" mode_value="$(mode_value "$DETAIL")" \
  "message=attached in $DETAIL mode ($reason)"
expect "gauge-attach_mode" "$(value setns gauge-attach_mode)" "$(mode_value "$DETAIL")"
snapshot before
"$GEN" net $N || fail "generator could not make its joins"
wait_reads 2
snapshot after
expect "mode notifications after several reads" "$(notes count type_instance=attach_mode)" 1
runs=$(delta total_operations-bpf_runs)
ns=$(delta derive-bpf_run_time_ns)
echo "  $runs program runs, $ns ns for $N joins in $DETAIL mode"
[ "$runs" -ge "$N" ] || bad "bpf_runs grew by $runs for $N joins"
[ "$ns" -ge "$runs" ] || bad "bpf_run_time_ns grew by $ns for $runs runs"
expect_delta total_events-runs_missed 0
# through the stats fd, not the sysctl other tools may own
expect "kernel.bpf_stats_enabled" "$(sysctl -n kernel.bpf_stats_enabled)" "$stats_was"
stop_collectd

echo "ReportOverhead false (the default): the kernel keeps no run times for us:"
start_attached 'Notifications false'
"$GEN" net 100 || fail "generator could not make its joins"
wait_reads 1
[ -z "$(csv_file setns derive-bpf_run_time_ns)" ] || bad "run time dispatched without ReportOverhead"
# the first collectd's statistics went with it
if [ "$stats_was" = 0 ]; then
  kept=0
  for p in $(our_progs); do kept=$((kept + $(run_cnt "$p"))); done
  expect "runs kept by the kernel" "$kept" 0
fi
stop_collectd

echo "tracepoint mode, counts only: one program run per call, exactly:"
start_collectd 'AttachMode "tracepoint"
Notifications false
ReportOverhead true'
if ! wait_attach; then
  why=$(kernel_lacks tracepoint "$DETAIL")
  [ -n "$why" ] && skip "tracepoint mode on $(uname -r): $why"
  fail "tracepoint mode did not attach: $DETAIL"
fi
wait_reads 1
snapshot before
"$GEN" net $N || fail "generator could not make its joins"
wait_reads 2
snapshot after
expect_delta operations-net $N
expect_delta total_operations-bpf_runs $N
stop_collectd
expect_unloaded
finish "the attach mode as a notification and a value, the programs' cost, exact runs"
