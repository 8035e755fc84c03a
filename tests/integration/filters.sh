#!/bin/bash
# setns-collectd - tests/integration/filters.sh
#
# NamespaceType, Process and NotifyFailures choose what is notified (the
# first and last in the kernel, before any event is sent); the counts
# never change with them. The list keys take several values on one line.

. "$(dirname "$0")/lib.sh"

require_root
start_attached "NamespaceType \"uts\" \"ipc\"
  Process \"/^keep/\" \"also-me\"
  CoalesceWindow 0
  $WITH_RETURNS" notify_json
snapshot before
"$GEN" --comm keep-me net 2 uts 1 ipc 1 ebadf 1 || fail "setns-gen keep-me"
"$GEN" --comm drop-me net 1 uts 1 ipc 1 || fail "setns-gen drop-me"
"$GEN" --comm also-me net 1 uts 1 || fail "setns-gen also-me"
wait_reads 2
snapshot after

expect_delta operations-net 4
expect_delta operations-uts 3
expect_delta operations-ipc 2
expect_delta errors-ebadf 1
expect "notifications, only keep-me's and also-me's uts and ipc joins" "$(notes count)" 3
expect "keep-me's uts join" "$(notes count comm=keep-me joined=uts)" 1
expect "keep-me's ipc join" "$(notes count comm=keep-me joined=ipc)" 1
expect "also-me's uts join" "$(notes count comm=also-me joined=uts)" 1
stop_collectd
finish "only the selected processes and types notified, every call counted"
