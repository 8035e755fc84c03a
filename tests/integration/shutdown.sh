#!/bin/bash
# setns-collectd - tests/integration/shutdown.sh
#
# A notification still being grouped when collectd stops reaches its
# consumer. The python consumer is loaded before the plugin, so collectd
# shuts it down first, and it lets go of its output then, as consumers of
# files and sockets do: the plugin must send what it holds at the flush
# collectd asks of every plugin before the first shutdown callback, while
# every plugin is still up.

. "$(dirname "$0")/lib.sh"

require_root
start_attached "CoalesceWindow 10000
$WITH_RETURNS" notify_json
"$GEN" --comm at-exit uts 1 || fail "generator could not make its join"
sleep 0.5 # the event reached the plugin, which holds it for 10 s
stop_collectd
expect "notifications of the join" "$(notes count comm=at-exit)" 1
grep -q 'setns plugin: the event thread stopped' "$WORK/collectd.log" &&
  bad "the thread's stop at the flush was taken for a failure"
grep -q 'Exiting normally' "$WORK/collectd.log" || bad "collectd did not exit normally"
finish "a join grouped at shutdown notified at collectd's last flush ($DETAIL mode)"
