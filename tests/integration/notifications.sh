#!/bin/bash
# setns-collectd - tests/integration/notifications.sh
#
# One notification per join, read back with its meta data through the
# python plugin (returns too): ip netns add/exec, unshare + nsenter -a, a pidfd join of
# three types into another process's namespaces, and failed joins. The
# expected inodes are read from /proc and /run/netns, the expected pids
# from the processes the test starts.

. "$(dirname "$0")/lib.sh"

require_root
require ip unshare nsenter
start_attached 'NotifyFailures true
  Activity "exec" "enter" "escape" "lateral" "return"' notify_json
inode() { stat -L -c %i "$1"; }
host_net=$(inode /proc/self/ns/net)

echo "ip netns add, then ip netns exec:"
NETNS=setns-test-$$
ip netns add "$NETNS" &
add_pid=$!
wait "$add_pid" || fail "ip netns add"
netns=$(inode "/run/netns/$NETNS")
exec_pid=$(ip netns exec "$NETNS" sh -c 'echo $$') || fail "ip netns exec"
# ip netns add makes the namespace with unshare and goes back to the
# host's: a host process returning home is "same", a return, okay.
wait_note comm=ip ns_inode_old="$netns"
expect_note ns_inode_new="$host_net" direction=same severity=4 activity=return \
  "message=return: ip[$add_pid] uid 0 joined net namespace $host_net of the host (back to the host's)"
wait_note pid="$exec_pid"
expect_note comm=ip type_instance=net joined=net nstype=CLONE_NEWNET \
  ns_inode_old="$host_net" ns_inode_new="$netns" direction=host_to_container \
  target_pid= result=ok uid=0 "message=enter: ip[$exec_pid] uid 0 joined net namespace $netns from the host"

echo "unshare, then nsenter -a into it:"
hold --pid --mount-proc --uts --ipc --net
target_net=$(inode "/proc/$TARGET/ns/net")
nsenter -t "$TARGET" -a true || fail "nsenter -a"
wait_note comm=nsenter joined~net
wait_note comm=nsenter
joined=$(note joined)
for t in net mnt pid uts ipc; do
  [[ ",$joined," == *",$t,"* ]] || bad "joined \"$joined\" lacks $t"
done
expect_note direction=host_to_container ppid=$$
# The owner is a process living in the namespace named: unshare, which
# made it, or the sleep in it (only the sleep lives in the new pid ns).
owner=$(note target_pid)
[ "$owner" = "$HOLDER_PID" ] || [ "$owner" = "$TARGET" ] ||
  bad "target_pid $owner is neither $HOLDER_PID nor $TARGET"
expect_note target_comm="$(cat "/proc/$owner/comm" 2>/dev/null)"
# The inodes are listed in the order of joined.
i=$(tr ',' '\n' <<<"$joined" | grep -nx net | cut -d: -f1)
expect "net inodes" "$(note ns_inode_old | cut -d, -f"$i") -> $(note ns_inode_new | cut -d, -f"$i")" \
  "$host_net -> $target_net"

echo "a pidfd join of net, uts and ipc at once:"
"$GEN" --comm pidfd-join --target "$TARGET" pidfd 1 || fail "pidfd join"
wait_note comm=pidfd-join
expect_note joined=net,uts,ipc "nstype=CLONE_NEWNET|CLONE_NEWUTS|CLONE_NEWIPC" \
  ns_inode_new="$target_net,$(inode /proc/$TARGET/ns/uts),$(inode /proc/$TARGET/ns/ipc)" \
  direction=host_to_container

echo "failed joins (NotifyFailures true):"
"$GEN" --comm bad-fd ebadf 1 eperm 1 || fail "failing joins"
wait_note comm=bad-fd result=eperm
expect_note uid=65534 joined=
wait_note comm=bad-fd fd=-1
expect_note result=ebadf direction=none type_instance=net

stop_collectd
expect_unloaded
n=$(notes check) || fail "malformed notification: $n"
finish "$n notifications, every field as the joins made them ($DETAIL mode)"
