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

NOTIFY_JSON=1 start_collectd 'ReportByProcess true
  MaxProcesses 3'
read -r verdict detail <<<"$(wait_attach)"
[ "$verdict" = attached ] || fail "plugin did not attach: $detail"
wait_reads 1

# 15 bytes, none of them printable ASCII: UTF-8, invalid UTF-8, controls.
NONASCII=$'\xc3\xa9\xc3\xa9\xe2\x82\xac\xff\xfe\x01\x7f\x1b\x0a\x09\x80'
names=("a.b c/d" "$NONASCII" "" "fourth")
instances=("a_b_c_d" "_______________" "_" "other")
escaped=("a.b c/d" '\xc3\xa9\xc3\xa9\xe2\x82\xac\xff\xfe\x01\x7f\x1b\x0a\x09\x80' "" "fourth")
FAILED=
# One name per interval, so that the first three take the three instances.
for i in 0 1 2 3; do
  "$GEN" --comm "${names[$i]}" net $((i + 2)) uts 1 || fail "setns-gen ${instances[$i]}"
  wait_reads 1
done
wait_reads 1

for i in 0 1 2 3; do
  got=$(value "setns-${instances[$i]}" operations-net)
  echo "  setns-${instances[$i]}/operations-net: $got"
  [ "$got" = $((i + 2)) ] || { echo "    want $((i + 2))"; FAILED=1; }
  [ "$(value "setns-${instances[$i]}" operations-uts)" = 1 ] || { echo "    uts want 1"; FAILED=1; }
done
dirs=$(ls "$WORK/csv/$HOST" | grep '^setns-' | sort | tr '\n' ' ')
[ "$dirs" = "setns-_ setns-_______________ setns-a_b_c_d setns-other " ] ||
  { echo "  plugin instances: $dirs"; FAILED=1; }

n=$(notes check) || fail "a notification is not well-formed JSON: $n"
# A repeated type starts a new notification: i + 2 of them, the last one
# joining net and uts.
for i in 0 1 2 3; do
  got=$(notes count comm="${escaped[$i]}")
  [ "$got" = $((i + 2)) ] || { echo "  $got notifications for comm ${escaped[$i]}, want $((i + 2))"; FAILED=1; }
  pid=$(notes get pid comm="${escaped[$i]}")
  msg=$(notes get message comm="${escaped[$i]}")
  want="${escaped[$i]}[$pid] uid 0 joined net,uts namespaces "
  [ "${msg:0:${#want}}" = "$want" ] || { echo "  message: $msg"; FAILED=1; }
done
# Nothing raw reached the log either: every line is printable ASCII.
if LC_ALL=C grep -n '[^[:print:][:space:]]' "$WORK/collectd.log"; then
  echo "  raw bytes in the log"; FAILED=1
fi
stop_collectd
[ -z "$FAILED" ] || fail "hostile names broke a value or a notification"
pass "hostile names: exact per-process counts under safe instances, escaped notifications"
