#!/bin/bash
# setns-collectd - tests/integration/residents.sh
#
# Targets among 20,000 namespaces, as any user could make them: a join
# into one of them must still be notified, with its target found; and so
# must 50 joins in a row into a namespace where only the caller lives,
# which the plugin must not answer by scanning /proc each time. How long
# they take (arrival at the python consumer minus the notification's time
# field, the moment of the join) is said, not judged: bench/run measures
# it.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/farm.sh"

require_root
require unshare python3
NAMESPACES=20000 PER=5 # net, mnt, uts, ipc and cgroup, no fork needed
PROCS=$((NAMESPACES / PER))

# delays_said NAME N MAX TARGETS: how long they took, said, not judged:
# time belongs to the bench (bench/run's latency row).
delays_said() { echo "  $1: $2 notifications, the slowest after ${3}s"; }

room $((PROCS + 100))
echo "making $NAMESPACES namespaces with $PROCS processes:"
farm
echo "  $(namespaces) namespaces on the machine"
start_attached "$(printf 'Activity "%s"\n' exec enter start plumbing escape lateral return)" notify_json
arrivals

echo "a join into one of them:"
victim=${FARM[$((PROCS / 2))]}
"$GEN" --comm res-join --target "$victim" pidfd 1 || fail "pidfd join"
read -r n max targets < <(delays res-join 1)
expect "joins notified" "$n" 1
expect "target" "$targets" "$victim"
delays_said "into one of $NAMESPACES" "$n" "$max"

echo "50 joins into a namespace only the caller lives in, 0.1 s apart:"
unshare --net /usr/bin/python3 -c '
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
libc.prctl(15, b"res-alone")  # PR_SET_NAME
home = os.open(sys.argv[1], os.O_RDONLY)
alone = os.open("/proc/self/ns/net", os.O_RDONLY)
for _ in range(50):
    for fd in (home, alone):
        if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET
            sys.exit("setns: " + os.strerror(ctypes.get_errno()))
    time.sleep(0.1)
' "/proc/$$/ns/net" || fail "joins alone"
read -r n max targets < <(delays res-alone 100)
expect "joins notified" "$n" 100
delays_said "back and forth, 50 of them alone" "$n" "$max"

stop_collectd
finish "every join notified, its target found, among $NAMESPACES namespaces ($DETAIL mode)"
