# shellcheck shell=bash
# setns-collectd - tests/integration/farm.sh
#
# Namespaces by the ten thousand, as any user could make them, and the
# time each notification takes to arrive: what residents.sh and bench/run
# share. Sourced after lib.sh; NAMESPACES, PER and PROCS say how many.

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

