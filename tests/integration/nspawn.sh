#!/bin/bash
# setns-collectd - tests/integration/nspawn.sh
#
# systemd-nspawn without machined (--register=no: systemd is not PID 1
# here), a busybox root running sleep, entered from this shell with
# nsenter -a: one enter at warning, naming the sleep. Without machined's
# machine-NAME.scope nothing names the container (the name from that
# cgroup is unit-tested in test_names). Nothing else is at warning.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
require systemd-nspawn nsenter
rootfs_tar
R=$T/nspawn-root
mkdir -p "$R/usr" && tar -C "$R" -xf "$T/rootfs.tar" && : > "$R/etc/os-release"
start_attached "$EVERY_ACTIVITY" notify_json

systemd-nspawn --quiet --register=no --keep-unit -D "$R" /bin/sleep 1000 \
  > "$T/nspawn.log" 2>&1 &
NSPAWN=$!
KIDS+=("$NSPAWN")
for _ in $(seq 100); do
  TPID=$(pgrep -P "$NSPAWN" | head -1)
  [ -n "$TPID" ] && SLEEP=$(pgrep -P "$TPID" -x sleep || { [ "$(cat /proc/$TPID/comm)" = sleep ] && echo "$TPID"; }) &&
    [ -n "$SLEEP" ] && break
  kill -0 "$NSPAWN" 2>/dev/null || { cat "$T/nspawn.log"; fail "systemd-nspawn exited"; }
  sleep 0.1
done
[ -n "${SLEEP:-}" ] || { cat "$T/nspawn.log"; fail "no sleep in the container"; }
# nsenter forks into the pid namespace: the caller is nsenter itself
nsenter -t "$SLEEP" -a true &
ENTER=$!
wait "$ENTER" || fail "nsenter -a into the container"
# read while the container still runs, then everything once collectd stops
wait_note pid="$ENTER"
kill "$NSPAWN" && wait "$NSPAWN" 2>/dev/null
stop_collectd
expect_note activity=enter severity=2 direction=host_to_container target_pid="$SLEEP" \
  target_comm=sleep
expect_count "at warning or above" 1 severity~'^[12]$'
expect_accounted activity=enter -- activity=return severity=4
finish "systemd-nspawn entered with nsenter -a: one enter at warning ($DETAIL mode)"
