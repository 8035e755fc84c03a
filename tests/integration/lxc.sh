#!/bin/bash
# setns-collectd - tests/integration/lxc.sh
#
# LXC 5: a busybox container created, started, attached to, stopped and
# destroyed, every activity notified. LXC names its containers: the
# container id is the name, from its cgroup (lxc.payload.NAME). lxc-attach
# is LXC's exec: one warning, naming the container. What LXC's monitor
# (lxc-start) does around the start and the stop, stepping into the
# container's namespaces and back, is plumbing and returns, okay; nothing
# else is at warning or above.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
NAME=xc$$
lxc_setup "$NAME"
start_attached "$EVERY_ACTIVITY
MaxNotificationsPerInterval 1000" notify_json

timeout 60 lxc-start -P "$LXCPATH" -n "$NAME" -d -L "$T/lxc-console.log" -l INFO \
  -o "$T/lxc-start.log" || { tail -5 "$T/lxc-start.log"; fail "lxc-start"; }
timeout 30 lxc-wait -P "$LXCPATH" -n "$NAME" -s RUNNING -t 30 || fail "not RUNNING"
INIT=$(lxc-info -P "$LXCPATH" -n "$NAME" -p -H)
[ -n "$INIT" ] || fail "no init pid"
# lxc-attach runs true in the container: its pid is the attached process's
timeout 60 lxc-attach -P "$LXCPATH" -n "$NAME" -- true || fail "lxc-attach"
wait_note activity=exec # read while the container still runs
timeout 60 lxc-stop -P "$LXCPATH" -n "$NAME" -t 10 || fail "lxc-stop"
timeout 60 lxc-destroy -P "$LXCPATH" -n "$NAME" > /dev/null || fail "lxc-destroy"
stop_collectd

echo "what each activity counted:"
for a in exec enter start plumbing escape lateral return; do
  echo "  $a: $(notes count activity="$a")"
done
wait_note activity=exec
expect_note severity=2 runtime=lxc-attach direction=host_to_container \
  target_container_id="$NAME" target_container_name="$NAME" target_pid="$INIT"
[[ $(note message) == *" in container $NAME from the host; lxc-attach, asked by "* ]] ||
  bad "message: $(note message)"
expect_count "execs" 1 activity=exec
expect_count "at warning or above" 1 severity~'^[12]$'
expect_accounted activity=exec -- activity=start container_id="$NAME" -- \
  activity=plumbing severity=4 -- activity=return severity=4
finish "LXC create, start, attach, stop, destroy: one exec naming $NAME, nothing else at warning ($DETAIL mode)"
