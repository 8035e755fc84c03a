#!/bin/bash
# setns-collectd - tests/integration/tools.sh
#
# The joins people actually make, with the real tools: ip netns add/exec,
# unshare + nsenter -a, nsenter -U. The expected deltas are what these
# tools call (checked with strace): `ip netns add` and `ip netns exec` one
# setns(CLONE_NEWNET) each; `nsenter -a` one per namespace type but user,
# which it skips when it is the caller's own; `nsenter -U` one user join.

. "$(dirname "$0")/lib.sh"

require_root
require ip unshare nsenter
start_attached 'AttachMode "auto"'
snapshot before

NETNS=setns-test-$$
ip netns add "$NETNS" || fail "ip netns add"
for _ in 1 2 3; do ip netns exec "$NETNS" true || fail "ip netns exec"; done
hold --pid --mount-proc --uts --ipc --net
nsenter -t "$TARGET" -a true || fail "nsenter -a"
release
hold --user
nsenter -t "$TARGET" -U --preserve-credentials true || fail "nsenter -U"
time_n=1
[ -e /proc/self/ns/time ] || time_n=0

wait_reads 2
snapshot after
expect_delta operations-net $((1 + 3 + 1))
expect_delta operations-mnt 1
expect_delta operations-pid 1
expect_delta operations-uts 1
expect_delta operations-ipc 1
expect_delta operations-cgroup 1
expect_delta operations-time $time_n
expect_delta operations-user 1
expect_delta errors-eperm 0
finish "ip netns, unshare and nsenter joins counted exactly ($DETAIL mode)"
