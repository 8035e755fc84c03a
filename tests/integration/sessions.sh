#!/bin/bash
# setns-collectd - tests/integration/sessions.sh
#
# ExecSessions: what happened after a join. nsenter -a from the host into
# a held process's namespaces runs a shell that runs ls, cat and sleep 2:
# the enter names its session, and when the shell's last process exits
# one notification (okay) ends it with the same id, a duration of at
# least 2 s, exit status 0, and the three commands. Then a session of
# 10000 processes: its end comes, what was counted and left out adds up,
# and the kernel keeps nothing of it. Then podman exec and docker exec of
# the same shell into a container: the exec's session, its commands as
# busybox's shell runs them. Last, collectd stopped while a session is
# open leaves nothing loaded.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
require unshare nsenter
start_attached 'ExecSessions true' notify_json
hold --pid --mount-proc --uts --ipc --net

# the session's entries in the program's map of processes
session_pids() {
  bpftool -j map dump name setns_session_p 2>/dev/null | /usr/bin/python3 -c '
import json, sys
want = int(sys.argv[1], 16)
print(sum(1 for e in json.load(sys.stdin)
          if e.get("formatted", e).get("value") == want))' "$1"
}

# expect_end COMMAND...: the selected session end lasted at least the
# shell's sleep 2 (and less than 10 s) and lists each COMMAND as one item.
expect_end() {
  local ms commands c
  ms=$(note duration_ms)
  ((ms >= 2000 && ms < 10000)) || bad "duration_ms $ms, want 2000 to 10000"
  commands=$(note commands)
  for c; do
    [[ ",$commands," == *",$c,"* ]] || bad "commands \"$commands\" lack \"$c\""
  done
}

echo "nsenter -a, a shell, three commands:"
nsenter -t "$TARGET" -a sh -c 'ls / > /dev/null; cat /etc/hostname > /dev/null; sleep 2' ||
  fail "nsenter -a sh"
wait_note comm=nsenter activity=enter
SESSION=$(note session)
[[ $SESSION =~ ^[0-9a-f]+$ ]] || fail "the enter names no session: \"$SESSION\""
wait_note type_instance=session session="$SESSION"
expect_note severity=4 exit_status=0 joined_activity=enter comm=nsenter \
  processes_dropped=0 commands_dropped=0
expect_note_like message "^session $SESSION ended after [0-9.]+ s: [0-9]+ processes, exit 0; ran "
expect_end "ls /" "cat /etc/hostname" "sleep 2"
expect "its processes left in the kernel" "$(session_pids "$SESSION")" 0

echo "a session of 10000 processes:"
nsenter -t "$TARGET" -n sh -c 'i=0; while [ $i -lt 10000 ]; do /bin/true; i=$((i + 1)); done' ||
  fail "nsenter -n sh, 10000 times true"
wait_note comm=nsenter activity=enter joined=net
BIG=$(note session)
[[ $BIG =~ ^[0-9a-f]+$ ]] && [ "$BIG" != "$SESSION" ] || fail "no new session: \"$BIG\""
wait_note type_instance=session session="$BIG"
procs=$(note processes) left=$(note processes_dropped)
ncommands=$(note commands | tr ',' '\n' | grep -c .)
expect "processes counted and left out" "$((procs + left))" 10001
# each process counted ran one program (the shell, then true)
expect "commands sent and left out" "$((ncommands + $(note commands_dropped)))" "$procs"
expect "commands sent (MaxSessionCommands)" "$ncommands" 16
expect "its processes left in the kernel" "$(session_pids "$BIG")" 0
wait_reads 1
dropped=$(value setns total_events-session_processes_dropped)
((dropped >= left)) || bad "total_events-session_processes_dropped $dropped, want >= $left"

# exec_session NAME RUNTIME EXEC: the exec's session ends with the shell's
# three commands, at least 2 s, exit 0. busybox's shell runs ls inside
# itself, no program executed, which no exec hook can see: /bin/ls is.
exec_session() {
  local name=$1 id
  shift
  "$@" "$name" sh -c '/bin/ls / > /dev/null; cat /etc/hostname > /dev/null; sleep 2' ||
    fail "$* $name sh -c ..."
  wait_note activity=exec target_container_name="$name"
  id=$(note session)
  [[ $id =~ ^[0-9a-f]+$ ]] || { bad "the exec names no session: \"$id\""; return; }
  wait_note type_instance=session session="$id"
  expect_note exit_status=0 joined_activity=exec target_container_name="$name"
  expect_end "/bin/ls /" "cat /etc/hostname" "sleep 2"
  echo "  message: $(note message)"
}

echo "podman exec:"
podman_setup
docker_setup
stop_collectd
start_attached "ExecSessions true
ContainersStorage \"$T/podman/root\"
DockerDataRoot \"$T/docker/data\"" notify_json
$PODMAN run -d --name s1 localhost/bb sleep 1000 > /dev/null || fail "podman run"
exec_session s1 $PODMAN exec
echo "docker exec:"
$DOCKER run -d --name s2 --network none "${ULIMITS[@]}" bb sleep 1000 > /dev/null ||
  fail "docker run"
exec_session s2 $DOCKER exec

echo "collectd stopped with a session open:"
nsenter -t "$TARGET" -n sleep 30 &
open_pid=$!
wait_note comm=nsenter activity=enter pid="$open_pid"
stop_collectd
expect_unloaded
kill "$open_pid" 2>/dev/null
wait "$open_pid" 2>/dev/null
release
finish "ExecSessions: a session's end with its commands, 10000 processes bounded, nothing left loaded ($DETAIL mode)"
