#!/bin/bash
# setns-collectd - tests/integration/hostile-comm.sh
#
# Process names are untrusted: "a.b c/d", 15 bytes that are not ASCII, an
# empty name. With ReportByProcess, each must become one plugin_instance of
# [A-Za-z0-9_-] (here: one csv directory) with exact counts; past
# MaxProcesses, names go to "other". Their notifications must stay one
# well-formed JSON line each, with the name escaped, never raw.

. "$(dirname "$0")/lib.sh"

require_root
start_attached "ReportByProcess true
  MaxProcesses 3
  $WITH_RETURNS" notify_json

# 15 bytes, none of them printable ASCII: UTF-8, invalid UTF-8, controls.
NONASCII=$'\xc3\xa9\xc3\xa9\xe2\x82\xac\xff\xfe\x01\x7f\x1b\x0a\x09\x80'
names=("a.b c/d" "$NONASCII" "" "fourth")
instances=("a_b_c_d" "_______________" "_" "other")
escaped=("a.b c/d" '\xc3\xa9\xc3\xa9\xe2\x82\xac\xff\xfe\x01\x7f\x1b\x0a\x09\x80' "" "fourth")
# One name per interval, so that the first three take the three instances.
pids=()
for i in 0 1 2 3; do
  "$GEN" --comm "${names[$i]}" net $((i + 2)) uts 1 &
  pids+=($!)
  wait $! || fail "setns-gen ${instances[$i]}"
  wait_reads 1
done
wait_reads 1

for i in 0 1 2 3; do
  for t in "net $((i + 2))" "uts 1"; do
    expect "setns-${instances[$i]}/operations-${t% *}" \
      "$(value "setns-${instances[$i]}" "operations-${t% *}")" "${t#* }"
  done
done
expect "plugin instances" "$(ls "$WORK/csv/$HOST" | grep '^setns-' | sort | tr '\n' ' ')" \
  "setns-_ setns-_______________ setns-a_b_c_d setns-other "

n=$(notes check) || fail "a notification is not well-formed JSON: $n"
# A repeated type starts a new notification: i + 2 of them, the last one
# joining net and uts.
for i in 0 1 2 3; do
  c=${escaped[$i]}
  expect "notifications for comm $c" "$(notes count comm="$c")" $((i + 2))
  want="return: ${c}[${pids[i]}] uid 0 joined net,uts namespaces "
  msg=$(note message comm="$c")
  expect "message for comm $c" "${msg:0:${#want}}" "$want"
done
# Nothing raw reached the log either: every line is printable ASCII.
if LC_ALL=C grep -n '[^[:print:][:space:]]' "$WORK/collectd.log"; then bad "raw bytes in the log"; fi
stop_collectd
finish "hostile names: exact per-process counts under safe instances, escaped notifications"
