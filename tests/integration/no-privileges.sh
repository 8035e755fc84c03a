#!/bin/bash
# setns-collectd - tests/integration/no-privileges.sh
#
# collectd without root's capabilities: one ERROR that says what is
# missing, the plugin is off, collectd keeps running.

. "$(dirname "$0")/lib.sh"

require_root
require setpriv
COLLECTD_WRAPPER="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
start_collectd 'AttachMode "auto"'
wait_attach && fail "attached without privileges: $DETAIL"
expect "ERROR lines" "$(grep -c '\[error\] setns plugin:' "$WORK/collectd.log")" 1
grep -q 'setns plugin: loading BPF programs needs root, or CAP_BPF and CAP_PERFMON' "$WORK/collectd.log" ||
  bad "the ERROR does not say which privileges are missing: $DETAIL"
sleep 2
kill -0 "$COLLECTD_PID" 2>/dev/null || fail "collectd exited"
[ -n "$(csv_file load load)" ] || bad "collectd stopped reading"
finish "unprivileged: one ERROR naming CAP_BPF and CAP_PERFMON, collectd kept running"
