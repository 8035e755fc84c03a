#!/bin/bash
# setns-collectd - tests/integration/podman.sh
#
# podman with runc: run -d, exec, stop, rm. Every activity is notified, so
# that everything the scenario makes is seen: the exec is the one
# notification at warning or above, the container's start and the CNI
# plugins' and podman's own steps into its network namespace and back
# (plumbing, then return) are okay.
# Then nine more containers, each exec'd into once: ten execs in all, and
# still nothing else at warning.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
podman_setup
start_attached "$EVERY_ACTIVITY
ContainersStorage \"$T/podman/root\"
ContainersRunRoot \"$T/podman/run\"" notify_json

$PODMAN run -d --name c1 localhost/bb sleep 1000 > /dev/null || fail "podman run"
CID=$($PODMAN inspect -f '{{.Id}}' c1)
TPID=$($PODMAN inspect -f '{{.State.Pid}}' c1)
wait_note activity=start
expect_note container_id="$CID" direction=container_to_container severity=4 runtime=runc \
  container_name=c1 image=localhost/bb:latest

$PODMAN exec c1 true || fail "podman exec"
wait_note activity=exec
expect_note runtime=runc direction=host_to_container container_id= \
  target_container_id="$CID" target_pid="$TPID" joined=ipc,uts,net,pid,mnt severity=2 \
  target_container_name=c1 target_image=localhost/bb:latest
# runc's child is gone by now: its pid is known to be a number only
expect_note_like message "^exec: runc:\\[1:CHILD\\]\\[[0-9]+\\] uid 0 joined ipc,uts,net,pid,mnt namespaces of sleep\\[$TPID\\] in container c1 \\(image localhost/bb:latest\\) from the host; runc, asked by a client behind a socket$"
[ -n "$(note exe)" ] || bad "exe is empty"
# conmon detaches from podman: the lineage ends there
[[ $(note ancestors) =~ ^runc\[[0-9]+\],conmon\[[0-9]+\] ]] || bad "ancestors: $(note ancestors)"

$PODMAN stop -t 0 c1 > /dev/null && $PODMAN rm c1 > /dev/null || fail "podman stop, rm"

for i in $(seq 2 10); do
  $PODMAN run -d --name c$i localhost/bb sleep 1000 > /dev/null || fail "podman run c$i"
  $PODMAN exec c$i true || fail "podman exec c$i"
done
$PODMAN rm -f -t 0 $(seq -f 'c%g' 2 10) > /dev/null || fail "podman rm"
stop_collectd # everything it had to say is out
expect_count "c1: its exec" 1 activity=exec target_container_id="$CID"
expect_count "c1: its start" 1 activity=start container_id="$CID"
expect_count "lateral" 0 activity=lateral
expect_count "execs of ten containers" 10 activity=exec severity=2
expect_count "at warning or above" 10 severity~'^[12]$'
expect_count "starts" 10 activity=start severity=4
expect_accounted activity=exec -- activity=start -- \
  activity=plumbing severity=4 comm~'^(podman|bridge|tuning|loopback|portmap|firewall)$' -- \
  activity=return severity=4 comm~'^(podman|bridge|tuning|loopback|portmap|firewall)$'
finish "podman run, exec, stop, rm: one exec at warning, $(notes count) in all; ten containers: ten execs ($DETAIL mode)"
