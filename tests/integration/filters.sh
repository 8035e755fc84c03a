#!/bin/bash
# setns-collectd - tests/integration/filters.sh
#
# NamespaceType, Process and NotifyFailures choose what is notified (the
# first and last in the kernel, before any event is sent); the counts
# never change with them.

. "$(dirname "$0")/lib.sh"

require_root
start_attached 'NamespaceType "uts"
  Process "/^keep/"
  CoalesceWindow 0' notify_json
snapshot before
"$GEN" --comm keep-me net 2 uts 1 ebadf 1 || fail "setns-gen keep-me"
"$GEN" --comm drop-me net 1 uts 1 || fail "setns-gen drop-me"
wait_reads 2
snapshot after

expect_delta operations-net 3
expect_delta operations-uts 2
expect_delta errors-ebadf 1
expect "notifications, only keep-me's uts join" "$(notes count)" 1
expect_note comm=keep-me joined=uts
stop_collectd
finish "only the selected process and type notified, every call counted"
