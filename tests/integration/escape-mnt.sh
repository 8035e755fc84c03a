#!/bin/bash
# setns-collectd - tests/integration/escape-mnt.sh
#
# The host's side is more than PID 1's namespaces. A host process with a
# private mount namespace (unshare -m sleep, as every systemd service with
# PrivateTmp= has one) shares the host's files: a privileged podman
# container with the host's pid namespace that enters it with nsenter -m
# has escaped, and the plugin says so, at failure, naming that process,
# with the defaults. So has one that holds such a namespace open, kills
# everyone living there and then enters it: its root directory is the
# host's. Then the same container enters another container's mount
# namespace: lateral, a warning, not an escape.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
require unshare
podman_setup
hold --mount --propagation private
# unshare stays in the namespace it made, with its sleep: the lowest pid
# living there, the one a notification names
SERVICE=$HOLDER_PID
mnt=$(stat -L -c %i "/proc/$SERVICE/ns/mnt")
[ "$mnt" != "$(stat -L -c %i /proc/self/ns/mnt)" ] || fail "the sleep has no mount namespace of its own"
# a second such process, for the container to empty
unshare --mount --propagation private --fork --kill-child sleep 60 &
EMPTIED=$!
KIDS+=("$EMPTIED")
for _ in $(seq 50); do
  mnt2=$(stat -L -c %i "/proc/$EMPTIED/ns/mnt" 2>/dev/null)
  [ -n "$mnt2" ] && [ "$mnt2" != "$(stat -L -c %i /proc/self/ns/mnt)" ] && break
  sleep 0.1
done
$PODMAN run -d --name other localhost/bb sleep 1000 > /dev/null || fail "podman run other"
OTHER=$($PODMAN inspect -f '{{.State.Pid}}' other)
OTHER_ID=$($PODMAN inspect -f '{{.Id}}' other)
start_attached 'Activity "exec" "enter" "escape" "lateral"' notify_json

# The container's shell prints its pid (the host's: --pid=host) and
# becomes nsenter.
timeout 60 $PODMAN run --name esc --privileged --pid=host localhost/bb \
  sh -c 'echo $$; exec nsenter -t "$1" -m true' sh "$SERVICE" > "$T/esc.pid" ||
  fail "nsenter -m from the container"
# fd 3 keeps the namespace; unshare's death takes its sleep (--kill-child)
timeout 60 $PODMAN run --name emp --privileged --pid=host localhost/bb \
  sh -c 'echo $$; exec 3< "/proc/$1/ns/mnt"; kill -9 "$1"
    for i in $(seq 50); do [ -e "/proc/$1/ns/mnt" ] || break; sleep 0.1; done
    sleep 0.5; exec nsenter --mount=/proc/self/fd/3 true' sh "$EMPTIED" > "$T/emp.pid" ||
  fail "nsenter -m into an emptied namespace"
timeout 60 $PODMAN run --name lat --privileged --pid=host localhost/bb \
  sh -c 'echo $$; exec nsenter -t "$1" -m true' sh "$OTHER" > "$T/lat.pid" ||
  fail "nsenter -m into the other container"
CID=$($PODMAN inspect -f '{{.Id}}' esc)
EID=$($PODMAN inspect -f '{{.Id}}' emp)
LID=$($PODMAN inspect -f '{{.Id}}' lat)
ESC_PID=$(cat "$T/esc.pid") EMP_PID=$(cat "$T/emp.pid") LAT_PID=$(cat "$T/lat.pid")
# read while the targets live, then everything once collectd stops
wait_note activity=escape pid="$ESC_PID"
wait_note pid="$EMP_PID"
wait_note pid="$LAT_PID"
$PODMAN rm esc emp lat > /dev/null
stop_collectd
NOTE_SEL=(activity=escape pid="$ESC_PID")
expect_note severity=1 direction=container_to_host container_id="$CID" joined=mnt \
  target_pid="$SERVICE" target_comm=unshare target_container_id= \
  "message=escape: nsenter[$ESC_PID] uid 0 joined mnt namespace $mnt of host process unshare[$SERVICE] from container ${CID:0:12}"
NOTE_SEL=(pid="$EMP_PID")
expect_note activity=escape severity=1 direction=container_to_host container_id="$EID" \
  joined=mnt target_pid= \
  "message=escape: nsenter[$EMP_PID] uid 0 joined mnt namespace $mnt2 of the host from container ${EID:0:12}"
NOTE_SEL=(pid="$LAT_PID")
expect_note activity=lateral severity=2 direction=container_to_container \
  container_id="$LID" target_container_id="$OTHER_ID"
expect "notifications" "$(notes count)" 3
finish "nsenter -m into a host process's private mount namespace, held or emptied: escapes; into a container's: lateral ($DETAIL mode)"
