#!/bin/bash
# setns-collectd - tests/integration/no-privileges.sh
#
# collectd without root's capabilities: one ERROR that says what is
# missing, the plugin is off, collectd keeps running.

. "$(dirname "$0")/lib.sh"

require_root
command -v setpriv >/dev/null || fail "setpriv not installed (util-linux)"

COLLECTD_WRAPPER="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all"
start_collectd 'AttachMode "auto"'
chmod 777 "$WORK"
read -r verdict detail <<<"$(wait_attach)"
[ "$verdict" = failed ] || fail "attached without privileges: $detail"
errors=$(grep -c '\[error\] setns plugin:' "$WORK/collectd.log")
[ "$errors" = 1 ] || fail "want one ERROR line from the plugin, got $errors"
grep -q 'setns plugin: loading BPF programs needs root, or CAP_BPF and CAP_PERFMON' "$WORK/collectd.log" ||
  fail "the ERROR does not say which privileges are missing: $detail"
sleep 2
kill -0 "$COLLECTD_PID" 2>/dev/null || fail "collectd exited"
[ -n "$(csv_file load load)" ] || fail "collectd stopped reading"
pass "unprivileged: one ERROR naming CAP_BPF and CAP_PERFMON, collectd kept running"
