#!/bin/bash
# setns-collectd - tests/integration/flood-escape.sh
#
# No flood hides an escape. Within one interval, an unprivileged uid makes
# a hundred failed joins (NotifyFailures on): it gets half of
# MaxNotificationsPerInterval and the kernel then holds back its events;
# root still gets notified; and a container joining the host's namespaces
# is notified, severity failure, whatever is left of the budget.

. "$(dirname "$0")/lib.sh"

require_root
fake_container
# one interval for the whole scenario
INTERVAL=10
start_collectd "NotifyFailures true
MaxNotificationsPerInterval 10
$WITH_RETURNS" notify_json
wait_attach || fail "plugin did not attach: $DETAIL"
wait_csv
reads=$(csv_lines setns operations-net)

"$GEN" --comm flooder eperm 100 || fail "the unprivileged failures"
"$GEN" --comm root-joins uts 2 || fail "root's joins"
(in_container nsenter --net=/proc/$HOST_PID/ns/net true) || fail "nsenter from the container"
wait_note activity=escape
expect_note severity=1 container_id="$ID" comm=nsenter
sleep 1.5 # the last notifications out
expect "failures of uid 65534 notified" "$(notes count uid=65534)" 5
expect "root's joins notified" "$(notes count comm=root-joins)" 2
expect "reads during the scenario (all in one interval)" \
  $(($(csv_lines setns operations-net) - reads)) 0
stop_collectd
finish "100 failures by uid 65534: 5 notified; root's joins and the escape too ($DETAIL mode)"
