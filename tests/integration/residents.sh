#!/bin/bash
# setns-collectd - tests/integration/residents.sh
#
# Targets among 20,000 namespaces, as any user could make them: a join
# into one of them must still be notified within the coalesce window plus
# a second, with its target found; and so must 50 joins in a row into a
# namespace where only the caller lives, which the plugin must not answer
# by scanning /proc each time. The delay is the notification's arrival at
# the python consumer minus its time field, the moment of the join.

. "$(dirname "$0")/lib.sh"

require_root
require unshare python3
NAMESPACES=20000 PER=5 # net, mnt, uts, ipc and cgroup, no fork needed
PROCS=$((NAMESPACES / PER)) BOUND=1.1 # the default window, 100 ms, + 1 s
FARM=()

# room NEEDED: skips unless this many more processes fit every limit.
room() {
  local tasks limit l
  tasks=$(ls -d /proc/[0-9]*/task/* 2>/dev/null | wc -l)
  limit=$(cat /proc/sys/kernel/pid_max)
  for l in "$(cat /proc/sys/kernel/threads-max)" "$(ulimit -u)"; do
    [ "$l" = unlimited ] || [ "$l" -ge "$limit" ] || limit=$l
  done
  [ $((limit - tasks - 1000)) -ge "$1" ] ||
    skip "$1 processes do not fit: $tasks tasks of at most $limit"
  for l in net mnt uts ipc cgroup; do
    [ "$(cat /proc/sys/user/max_${l}_namespaces)" -ge "$1" ] ||
      skip "user.max_${l}_namespaces is below $1"
  done
}

# farm: PROCS sleeps with PER new namespaces each, until farm_release.
farm() {
  local i
  for ((i = 0; i < PROCS; i++)); do
    unshare --net --mount --uts --ipc --cgroup sleep 600 &
    FARM+=($!)
  done
  for ((i = 0; i < 600; i++)); do
    [ "$(namespaces)" -ge "$NAMESPACES" ] && return 0
    sleep 0.1
  done
  fail "only $(namespaces) namespaces after a minute"
}
namespaces() { find /proc/[0-9]*/ns -type l -printf '%l\n' 2>/dev/null | sort -u | wc -l; }
farm_release() {
  [ ${#FARM[@]} = 0 ] || { kill -KILL "${FARM[@]}"; wait "${FARM[@]}"; } 2>/dev/null
  FARM=()
}
AT_CLEANUP+=(farm_release)

# arrivals: from now on, each notification's arrival and its line, in
# $T/arrivals.
arrivals() {
  /usr/bin/python3 -u -c '
import sys, time
path, f, part = sys.argv[1], None, ""
while True:
    if f is None:
        try:
            f = open(path)
        except FileNotFoundError:
            time.sleep(0.005)
            continue
    chunk = f.read()
    if not chunk:
        time.sleep(0.005)
        continue
    now, lines = time.time(), (part + chunk).split("\n")
    part = lines.pop()
    for line in lines:
        print("%.6f %s" % (now, line))
' "$WORK/notifications.json" > "$T/arrivals" &
  KIDS+=($!)
}

# delays COMM COUNT: waits for COUNT notifications of COMM, then says
# their number, the largest delay and the targets, as "N MAX TARGETS".
delays() {
  local i
  for ((i = 0; i < 100; i++)); do
    [ "$(grep -c "\"comm\": \"$1\"" "$T/arrivals")" -ge "$2" ] && break
    sleep 0.1
  done
  /usr/bin/python3 -c '
import json, sys
notes = [(float(a), json.loads(l)) for a, l in
         (line.split(" ", 1) for line in open(sys.argv[1]))]
mine = [(a - n["time"], n["meta"].get("target_pid", "")) for a, n in notes
        if n["meta"].get("comm") == sys.argv[2]]
print(len(mine), "%.3f" % max([d for d, _ in mine] or [0]),
      ",".join(sorted(set(str(t) for _, t in mine))) or "-")
' "$T/arrivals" "$1"
}

# within NAME N MAX: MAX is below BOUND seconds.
within() {
  if [ -n "$3" ] && awk -v d="$3" -v b="$BOUND" 'BEGIN { exit !(d < b) }'; then
    echo "  $1: $2 notifications, the slowest after ${3}s"
  else
    bad "$1: a notification came ${3}s after the join, not within ${BOUND}s"
  fi
}

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
within "into one of $NAMESPACES" "$n" "$max"

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
within "back and forth, 50 of them alone" "$n" "$max"

stop_collectd
finish "notified within ${BOUND}s among $NAMESPACES namespaces ($DETAIL mode)"
