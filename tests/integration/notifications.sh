#!/bin/bash
# setns-collectd - tests/integration/notifications.sh
#
# One notification per join, read back with its meta data through the
# python plugin: ip netns add/exec, unshare + nsenter -a, a pidfd join of
# three types into another process's namespaces, and failed joins. The
# expected inodes are read from /proc and /run/netns, the expected pids
# from the processes the test starts.

. "$(dirname "$0")/lib.sh"

require_root
for tool in ip unshare nsenter; do
  command -v $tool >/dev/null || fail "$tool not installed (iproute2, util-linux)"
done

NOTIFY_JSON=1 start_collectd 'NotifyFailures true'
read -r verdict detail <<<"$(wait_attach)"
[ "$verdict" = attached ] || fail "plugin did not attach: $detail"
wait_reads 1

inode() { stat -L -c %i "$1"; }
host_net=$(inode /proc/self/ns/net)
NOTE_FAILED=

echo "ip netns add, then ip netns exec:"
NETNS=setns-test-$$
ip netns add "$NETNS" || fail "ip netns add"
netns=$(inode "/run/netns/$NETNS")
exec_pid=$(ip netns exec "$NETNS" sh -c 'echo $$') || fail "ip netns exec"
# ip netns add makes the namespace with unshare and goes back to the
# host's: a host process returning home is "same", not an escape.
wait_note comm=ip ns_inode_old="$netns"
expect_note ns_inode_new "$host_net" comm=ip ns_inode_old="$netns"
expect_note direction same comm=ip ns_inode_old="$netns"
expect_note severity 2 comm=ip ns_inode_old="$netns"
wait_note pid="$exec_pid"
expect_note comm ip pid="$exec_pid"
expect_note type_instance net pid="$exec_pid"
expect_note joined net pid="$exec_pid"
expect_note nstype CLONE_NEWNET pid="$exec_pid"
expect_note ns_inode_old "$host_net" pid="$exec_pid"
expect_note ns_inode_new "$netns" pid="$exec_pid"
expect_note direction host_to_container pid="$exec_pid"
expect_note target_pid "" pid="$exec_pid" # no process lives in it
expect_note result ok pid="$exec_pid"
expect_note uid 0 pid="$exec_pid"
expect_note message "ip[$exec_pid] uid 0 joined net namespace $netns from the host" pid="$exec_pid"

echo "unshare, then nsenter -a into it:"
hold --pid --mount-proc --uts --ipc --net
target_net=$(inode "/proc/$TARGET/ns/net")
nsenter -t "$TARGET" -a true || fail "nsenter -a"
wait_note comm=nsenter joined~net
joined=$(notes get joined comm=nsenter)
for t in net mnt pid uts ipc; do
  [[ ",$joined," == *",$t,"* ]] || { echo "  joined \"$joined\" lacks $t"; NOTE_FAILED=1; }
done
expect_note direction host_to_container comm=nsenter
expect_note ppid $$ comm=nsenter
# The owner is a process living in the namespace named: unshare, which
# made it, or the sleep in it (only the sleep lives in the new pid ns).
owner=$(notes get target_pid comm=nsenter)
[ "$owner" = "$HOLDER_PID" ] || [ "$owner" = "$TARGET" ] ||
  { echo "  target_pid $owner is neither $HOLDER_PID nor $TARGET"; NOTE_FAILED=1; }
expect_note target_comm "$(cat "/proc/$owner/comm" 2>/dev/null)" comm=nsenter
# The inodes are listed in the order of joined.
i=$(tr ',' '\n' <<<"$joined" | grep -nx net | cut -d: -f1)
old=$(notes get ns_inode_old comm=nsenter | cut -d, -f"$i")
new=$(notes get ns_inode_new comm=nsenter | cut -d, -f"$i")
[ "$old" = "$host_net" ] && [ "$new" = "$target_net" ] ||
  { echo "  net inodes $old -> $new, want $host_net -> $target_net"; NOTE_FAILED=1; }

echo "a pidfd join of net, uts and ipc at once:"
"$GEN" --comm pidfd-join --target "$TARGET" pidfd 1 || fail "pidfd join"
wait_note comm=pidfd-join
expect_note joined net,uts,ipc comm=pidfd-join
expect_note nstype "CLONE_NEWNET|CLONE_NEWUTS|CLONE_NEWIPC" comm=pidfd-join
expect_note ns_inode_new "$target_net,$(inode /proc/$TARGET/ns/uts),$(inode /proc/$TARGET/ns/ipc)" comm=pidfd-join
expect_note direction host_to_container comm=pidfd-join

echo "failed joins (NotifyFailures true):"
"$GEN" --comm bad-fd ebadf 1 eperm 1 || fail "failing joins"
wait_note comm=bad-fd result=eperm
expect_note result ebadf comm=bad-fd fd=-1
expect_note direction none comm=bad-fd fd=-1
expect_note type_instance net comm=bad-fd fd=-1
expect_note uid 65534 comm=bad-fd result=eperm
expect_note joined "" comm=bad-fd result=eperm

stop_collectd
expect_unloaded
n=$(notes check) || fail "malformed notification: $n"
[ -z "$NOTE_FAILED" ] || fail "notifications differ from the joins made"
pass "$n notifications, every field as the joins made them ($detail mode)"
