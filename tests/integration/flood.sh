#!/bin/bash
# setns-collectd - tests/integration/flood.sh
#
# A million joins in a few seconds with notifications on. The counts must
# be exact; notifications must stay within MaxNotificationsPerInterval;
# every event must be accounted for as notified, suppressed or lost (each
# call joins the type the previous one did, so none is grouped); and
# collectd's memory must stay flat. Then the same with collectd stopped
# (SIGSTOP), so that the ring buffer overflows: the events dropped in the
# kernel must be reported as events_lost, and the counts stay exact.

. "$(dirname "$0")/lib.sh"

require_root
JOINS=1000000
LIMIT=50

NOTIFY_JSON=1 start_collectd "MaxNotificationsPerInterval $LIMIT"
read -r verdict detail <<<"$(wait_attach)"
[ "$verdict" = attached ] || fail "plugin did not attach: $detail"
wait_reads 2

stat_value() { value setns "total_events-$1"; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$COLLECTD_PID/status"; }
reads() { wc -l < "$(csv_file setns operations-net)"; }

snapshot before
lost0=$(stat_value events_lost) suppressed0=$(stat_value notifications_suppressed)
rss0=$(rss_kib) reads0=$(reads)
start=$(date +%s.%N)
"$GEN" --comm flood net $JOINS || fail "setns-gen"
took=$(echo "$(date +%s.%N) - $start" | bc)
wait_reads 2
snapshot after
lost=$(($(stat_value events_lost) - lost0))
suppressed=$(($(stat_value notifications_suppressed) - suppressed0))
rss=$(rss_kib) reads=$(($(reads) - reads0))
notified=$(notes count comm=flood)

echo "  $JOINS joins in ${took}s: $notified notified, $suppressed suppressed, $lost lost, over $reads reads"
echo "  collectd RSS ${rss0} KiB before, ${rss} KiB after"
DELTA_FAILED=
expect_delta operations-net $JOINS
[ -z "$DELTA_FAILED" ] || fail "counts lost under the flood"
[ "$notified" -ge 1 ] || fail "no notification at all from the flood"
[ "$notified" -le $((LIMIT * (reads + 1))) ] ||
  fail "$notified notifications in $reads intervals: more than $LIMIT per interval"
[ $((notified + suppressed + lost)) = $JOINS ] ||
  fail "events unaccounted for: $notified + $suppressed + $lost != $JOINS"
[ "$suppressed" -gt 0 ] || fail "nothing reported as notifications_suppressed"
[ $((rss - rss0)) -le 4096 ] || fail "collectd grew by $((rss - rss0)) KiB under the flood"

echo "the same with collectd stopped while the joins are made:"
JOINS2=100000
snapshot before
lost0=$(stat_value events_lost) suppressed0=$(stat_value notifications_suppressed)
notified0=$(notes count comm=flood2)
kill -STOP "$COLLECTD_PID"
"$GEN" --comm flood2 net $JOINS2 || { kill -CONT "$COLLECTD_PID"; fail "setns-gen"; }
kill -CONT "$COLLECTD_PID"
wait_reads 2
snapshot after
lost=$(($(stat_value events_lost) - lost0))
suppressed=$(($(stat_value notifications_suppressed) - suppressed0))
notified=$(($(notes count comm=flood2) - notified0))
echo "  $JOINS2 joins: $notified notified, $suppressed suppressed, $lost lost"
expect_delta operations-net $JOINS2
[ -z "$DELTA_FAILED" ] || fail "counts lost while the consumer was stopped"
[ "$lost" -gt 0 ] || fail "a stopped consumer lost no events: the ring cannot hold $JOINS2"
[ $((notified + suppressed + lost)) = $JOINS2 ] ||
  fail "events unaccounted for: $notified + $suppressed + $lost != $JOINS2"
stop_collectd
pass "joins counted exactly; every event notified, suppressed or lost ($lost lost with the consumer stopped); RSS +$((rss - rss0)) KiB"
