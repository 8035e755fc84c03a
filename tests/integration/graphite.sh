#!/bin/bash
# setns-collectd - tests/integration/graphite.sh rates|counters
#
# collectd + setns + write_graphite -> a private carbon-cache on loopback:
# after a known number of joins, the whisper files for <host>.setns.* exist
# and their datapoints add up to exactly the joins made. With StoreRates
# false the counter grows by the count; with StoreRates true the rates
# times the interval sum to it (the interval is 2 s on a 1 s whisper
# resolution, so no two datapoints share a slot).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carbon.sh"

KIND=${1:?rates or counters}
require_root
carbon_start
store=false
[ "$KIND" = rates ] && store=true
INTERVAL=2
start_attached 'AttachMode "auto"' "graphite $CARBON_PORT $store"
wait_reads 1
snapshot before
"$GEN" net 4 uts 3 ipc 2 pidfd 1 ebadf 2 || fail "generator"
wait_reads 2
stop_collectd # write_graphite sends what it holds on shutdown
carbon_flush

expect_whisper "$KIND" setns-test.setns.operations-net 5
expect_whisper "$KIND" setns-test.setns.operations-uts 4
expect_whisper "$KIND" setns-test.setns.operations-ipc 3
expect_whisper "$KIND" setns-test.setns.operations-mnt 0
# As rates, a value's first datapoint has no rate (collectd needs two), so
# an errno first seen mid-run is checked as a counter only; the operations
# are dispatched from the first read.
[ "$KIND" = rates ] || expect_whisper counters setns-test.setns.errors-ebadf 2
for t in pid user cgroup time; do expect_whisper exists "setns-test.setns.operations-$t"; done
finish "write_graphite ($KIND) into carbon: exact"
