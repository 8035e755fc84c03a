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
for tool in ip unshare nsenter; do
  command -v $tool >/dev/null || fail "$tool not installed (iproute2, util-linux)"
done

start_collectd 'AttachMode "auto"'
read -r verdict detail <<<"$(wait_attach)"
[ "$verdict" = attached ] || fail "plugin did not attach: $detail"

wait_reads 1
snapshot before

NETNS=setns-test-$$
ip netns add "$NETNS" || fail "ip netns add"
for _ in 1 2 3; do ip netns exec "$NETNS" true || fail "ip netns exec"; done

hold --pid --mount-proc --uts --ipc --net
nsenter -t "$TARGET" -a true || fail "nsenter -a"
kill "$HOLDER_PID"; wait "$HOLDER_PID" 2>/dev/null; HOLDER_PID=

hold --user
nsenter -t "$TARGET" -U --preserve-credentials true || fail "nsenter -U"

time_n=1
[ -e /proc/self/ns/time ] || time_n=0

wait_reads 2
snapshot after
DELTA_FAILED=
expect_delta operations-net $((1 + 3 + 1))
expect_delta operations-mnt 1
expect_delta operations-pid 1
expect_delta operations-uts 1
expect_delta operations-ipc 1
expect_delta operations-cgroup 1
expect_delta operations-time $time_n
expect_delta operations-user 1
expect_delta errors-eperm 0
[ -z "$DELTA_FAILED" ] || fail "counts differ from the tools' joins"
pass "ip netns, unshare and nsenter joins counted exactly ($detail mode)"
