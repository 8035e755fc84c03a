#!/bin/bash
# setns-collectd - tests/integration/quiet.sh
#
# With the defaults, what changes nothing is quiet and what a person does
# is not: ip netns add (which makes the namespace with unshare and steps
# back into the host's) and nsenter into the namespaces its own shell is
# in give no notification, ip netns exec (a person entering a namespace)
# one enter at warning. Every join is counted all the same. The
# notifications are counted after collectd has stopped, so that none that
# comes late is missed.

. "$(dirname "$0")/lib.sh"

require_root
require ip nsenter
start_attached '' notify_json
snapshot before
NETNS=setns-quiet-$$
ip netns add "$NETNS" || fail "ip netns add"
nsenter -t $$ -n -u true || fail "nsenter into its own shell's namespaces"
ip netns exec "$NETNS" sh -c 'echo $$ > "$1"' sh "$T/exec.pid" || fail "ip netns exec"
wait_reads 1
snapshot after
stop_collectd

# ip netns add's step back, nsenter's net, ip netns exec's
expect_delta operations-net 3
expect_delta operations-uts 1
expect "notifications" "$(notes count)" 1
expect "ip netns exec's enter, at warning" \
  "$(notes count activity=enter comm=ip pid="$(cat "$T/exec.pid")" severity=2 direction=host_to_container)" 1
finish "ip netns add and a join of where one is: quiet; ip netns exec: one enter ($DETAIL mode)"
