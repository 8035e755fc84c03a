#!/bin/bash
# setns-collectd - tests/integration/docker.sh
#
# docker with a dockerd and containerd of the test's own: run -d, exec,
# and an escape by a container given the host's pid namespace and
# CAP_SYS_ADMIN (docker run --privileged is refused in this sandbox).
# dockerd and its re-executed child (comm "exe") stepping into each new
# container's network namespace are plumbing, and dockerd's steps back
# returns; the exec is a warning whose
# client is on the other side of docker's socket; the escape a failure,
# named even though its container is gone by the time it is read.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
docker_setup
start_attached "$EVERY_ACTIVITY" notify_json

$DOCKER run -d --name d1 --network none "${ULIMITS[@]}" bb sleep 1000 > /dev/null ||
  fail "docker run"
CID=$($DOCKER inspect -f '{{.Id}}' d1)
TPID=$($DOCKER inspect -f '{{.State.Pid}}' d1)
$DOCKER exec d1 true || fail "docker exec"
wait_note activity=exec
expect_note runtime=runc target_container_id="$CID" target_pid="$TPID" \
  joined=ipc,uts,net,pid,mnt severity=2 \
  "message=exec: runc:[1:CHILD][$(note pid)] uid 0 joined ipc,uts,net,pid,mnt namespaces of sleep[$TPID] (container ${CID:0:12}) from the host; runc, asked by a client behind a socket"
[[ $(note ancestors) =~ ^runc\[[0-9]+\],containerd-shim\[[0-9]+\] ]] ||
  bad "ancestors: $(note ancestors)"

$DOCKER run --rm --name d2 --network none --pid=host --cap-add SYS_ADMIN \
  --cap-add SYS_PTRACE --security-opt seccomp=unconfined \
  --security-opt apparmor=unconfined "${ULIMITS[@]}" bb \
  nsenter -t $$ -m -u -n -i true || fail "nsenter from a docker container"
wait_note activity=escape
expect_note severity=1 direction=container_to_host comm=nsenter joined=ipc,uts,net,mnt
[[ $(note container_id) =~ ^[0-9a-f]{64}$ ]] || bad "escape without its container: $(note container_id)"
[[ $(note cgroup) = */docker/$(note container_id) ]] || bad "cgroup $(note cgroup)"

$DOCKER rm -f d1 > /dev/null
settle
expect_count "at warning or above" 2 severity~'^[12]$'
expect_count "lateral" 0 activity=lateral
expect_accounted activity=exec -- activity=escape -- \
  activity=plumbing severity=4 exe~'(^|/)dockerd$' -- activity=return severity=4 exe~'(^|/)dockerd$'
stop_collectd
finish "docker run, exec, escape: one exec, one escape, dockerd's plumbing ($DETAIL mode)"
