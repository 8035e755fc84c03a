#!/bin/bash
# setns-collectd - tests/integration/flood.sh
#
# A million joins in a few seconds with notifications on. The counts must
# be exact; notifications must stay within MaxNotificationsPerInterval;
# every event must be accounted for as notified, suppressed or lost (each
# call joins the type the previous one did, so none is grouped); and
# collectd's memory must stay flat. Then the same with collectd stopped
# (SIGSTOP) and a limit high enough that the program's own budget never
# holds the events back, so that the ring buffer overflows: the events
# dropped in the kernel must be reported as events_lost, and the counts
# stay exact.

. "$(dirname "$0")/lib.sh"

require_root
JOINS=1000000 JOINS2=100000 LIMIT=50
start_attached "MaxNotificationsPerInterval $LIMIT
$WITH_RETURNS" notify_json
wait_reads 1
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$COLLECTD_PID/status"; }
reads() { csv_lines setns operations-net; }
# accounted JOINS: every event of the joins notified, suppressed or lost
accounted() {
  lost=$(delta total_events-events_lost) suppressed=$(delta total_events-notifications_suppressed)
  echo "  $1 joins: $notified notified, $suppressed suppressed, $lost lost"
  expect_delta operations-net "$1"
  # the kernel skipped no run of the programs (where it counts skips)
  expect_delta total_events-runs_missed 0
  [ $((notified + suppressed + lost)) = "$1" ] ||
    bad "events unaccounted for: $notified + $suppressed + $lost != $1"
}

snapshot before
rss0=$(rss_kib) reads0=$(reads) start=$(date +%s.%N)
"$GEN" --comm flood net $JOINS || fail "setns-gen"
echo "  took $(echo "$(date +%s.%N) - $start" | bc)s"
wait_reads 2
snapshot after
rss=$(rss_kib) reads=$(($(reads) - reads0)) notified=$(notes count comm=flood)
accounted $JOINS
echo "  over $reads reads; collectd RSS ${rss0} KiB before, ${rss} KiB after"
[ "$notified" -ge 1 ] || bad "no notification at all from the flood"
[ "$notified" -le $((LIMIT * (reads + 1))) ] ||
  bad "$notified notifications in $reads intervals: more than $LIMIT per interval"
[ "$suppressed" -gt 0 ] || bad "nothing reported as notifications_suppressed"
# SETNS_FLOOD_RSS_KIB: more for a sanitized plugin (sanitizers.sh), whose
# heap comes with quarantine and shadow memory
[ $((rss - rss0)) -le "${SETNS_FLOOD_RSS_KIB:-4096}" ] ||
  bad "collectd grew by $((rss - rss0)) KiB under the flood"

echo "the same with collectd stopped while the joins are made, no limit:"
start_attached "MaxNotificationsPerInterval 1000000
$WITH_RETURNS" notify_json
wait_reads 1
snapshot before
notified0=$(notes count comm=flood2)
kill -STOP "$COLLECTD_PID"
"$GEN" --comm flood2 net $JOINS2 || { kill -CONT "$COLLECTD_PID"; fail "setns-gen"; }
kill -CONT "$COLLECTD_PID"
wait_reads 2
snapshot after
notified=$(($(notes count comm=flood2) - notified0))
accounted $JOINS2
[ "$lost" -gt 0 ] || bad "a stopped consumer lost no events: the ring cannot hold $JOINS2"
stop_collectd
finish "joins counted exactly; every event notified, suppressed or lost ($lost lost with the consumer stopped); RSS +$((rss - rss0)) KiB"
