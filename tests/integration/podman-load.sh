#!/bin/bash
# setns-collectd - tests/integration/podman-load.sh
#
# Twenty podman containers started at once, then one exec into each, at
# once: exactly twenty exec notifications, each naming its container, and
# nothing else at warning or above, every activity notified. Each podman
# call is bounded in time (parallel podman calls can hang here).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
podman_setup
N=20
start_attached "$EVERY_ACTIVITY
MaxNotificationsPerInterval 10000" notify_json

pids=()
for i in $(seq $N); do
  timeout 180 $PODMAN run -d --name "l$i" localhost/bb sleep 1000 > /dev/null 2>"$T/run-$i.err" &
  pids+=($!)
done
for i in $(seq $N); do
  wait "${pids[i - 1]}" || fail "podman run l$i: $(tail -1 "$T/run-$i.err")"
done
pids=()
for i in $(seq $N); do
  timeout 120 $PODMAN exec "l$i" true 2>"$T/exec-$i.err" &
  pids+=($!)
done
for i in $(seq $N); do
  wait "${pids[i - 1]}" || fail "podman exec l$i: $(tail -1 "$T/exec-$i.err")"
done
for i in $(seq $N); do
  echo "$($PODMAN inspect -f '{{.Id}}' "l$i")"
done > "$T/ids"
# read while the containers still run, then everything once collectd stops
for ((i = 0; i < 300; i++)); do
  [ "$(notes count activity=exec)" -ge $N ] && break
  sleep 0.1
done
timeout 180 $PODMAN rm -f -t 0 $(seq -f 'l%g' $N) > /dev/null || fail "podman rm"
stop_collectd

expect_count "execs" $N activity=exec severity=2
while read -r id; do
  [ "$(notes count activity=exec target_container_id="$id")" = 1 ] ||
    bad "container $id: $(notes count activity=exec target_container_id="$id") execs"
done < "$T/ids"
expect_count "at warning or above" $N severity~'^[12]$'
expect_count "starts" $N activity=start severity=4
expect_accounted activity=exec -- activity=start -- activity=plumbing severity=4 -- \
  activity=return severity=4
finish "$N containers at once, an exec each: $N execs, nothing else at warning ($DETAIL mode)"
