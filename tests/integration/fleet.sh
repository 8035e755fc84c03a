#!/bin/bash
# setns-collectd - tests/integration/fleet.sh
#
# An agent collectd with the setns plugin sends over collectd's network
# plugin to an aggregator collectd, which writes to a private carbon: the
# agent's joins arrive under the agent's host name, exactly, and so do its
# notifications (without meta data: the network protocol has none).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carbon.sh"

require_root
carbon_start
NET_PORT=$(free_ports udp 1)
AGG=$T/aggregator
HOST=aggregator collectd_conf "$AGG" - "network Listen $NET_PORT" "graphite $CARBON_PORT false"
collectd -f -C "$AGG/collectd.conf" > "$AGG/stdout" 2>&1 &
AGG_PID=$!
KIDS+=("$AGG_PID")

start_attached "AttachMode \"auto\"
$WITH_RETURNS" "network Server $NET_PORT"
kill -0 "$AGG_PID" 2>/dev/null || fail "aggregator did not start: $(cat "$AGG/stdout")"
wait_reads 1
snapshot before
"$GEN" net 6 cgroup 2 einval 3 || fail "generator"
wait_reads 3
stop_collectd
sleep 1
kill "$AGG_PID" && wait "$AGG_PID"
carbon_flush

expect_whisper counters setns-test.setns.operations-net 6
expect_whisper counters setns-test.setns.operations-cgroup 2
expect_whisper counters setns-test.setns.errors-einval 3
grep -q 'Notification: severity = OKAY, host = setns-test, plugin = setns, plugin_instance = return, type = operations, type_instance = net, message = return: setns-gen\[[0-9]*\] uid 0 joined net namespace' "$AGG/collectd.log" ||
  bad "the agent's notifications did not reach the aggregator"
[ -z "$(ls "$CARBON/whisper/aggregator/setns" 2>/dev/null)" ] || bad "setns values under the aggregator's name"
finish "agent -> network -> aggregator -> carbon: exact, under the agent's name; notifications too"
