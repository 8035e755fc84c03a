#!/bin/bash
# setns-collectd - tests/integration/filters.sh
#
# NamespaceType, Process and NotifyFailures choose what is notified (the
# first and last in the kernel, before any event is sent); the counts
# never change with them.

. "$(dirname "$0")/lib.sh"

require_root

NOTIFY_JSON=1 start_collectd 'NamespaceType "uts"
  Process "/^keep/"
  CoalesceWindow 0'
read -r verdict detail <<<"$(wait_attach)"
[ "$verdict" = attached ] || fail "plugin did not attach: $detail"
wait_reads 1
snapshot before
"$GEN" --comm keep-me net 2 uts 1 ebadf 1 || fail "setns-gen keep-me"
"$GEN" --comm drop-me net 1 uts 1 || fail "setns-gen drop-me"
wait_reads 2
snapshot after

DELTA_FAILED=
expect_delta operations-net 3
expect_delta operations-uts 2
expect_delta errors-ebadf 1
[ -z "$DELTA_FAILED" ] || fail "filters changed the counts"
got=$(notes count)
[ "$got" = 1 ] || fail "$got notifications, want only keep-me's uts join"
NOTE_FAILED=
expect_note comm keep-me
expect_note joined uts
stop_collectd
[ -z "$NOTE_FAILED" ] || fail "the one notification is not keep-me's uts join"
pass "only the selected process and type notified, every call counted"
