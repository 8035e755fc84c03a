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
# named even though its container is gone by the time it is read. Names
# and images come from docker's files under its data-root, a private one
# given to the plugin as DockerDataRoot.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
docker_setup
start_attached "$EVERY_ACTIVITY
DockerDataRoot \"$T/docker/data\"" notify_json

$DOCKER run -d --name d1 --network none "${ULIMITS[@]}" bb sleep 1000 > /dev/null ||
  fail "docker run"
CID=$($DOCKER inspect -f '{{.Id}}' d1)
TPID=$($DOCKER inspect -f '{{.State.Pid}}' d1)
$DOCKER exec d1 true || fail "docker exec"
wait_note activity=exec
expect_note runtime=runc target_container_id="$CID" target_pid="$TPID" \
  joined=ipc,uts,net,pid,mnt severity=2 target_container_name=d1 target_image=bb \
  target_pod_name= container_name= image=
# runc's child is gone by now: its pid is known to be a number only
expect_note_like message "^exec: runc:\\[1:CHILD\\]\\[[0-9]+\\] uid 0 joined ipc,uts,net,pid,mnt namespaces of sleep\\[$TPID\\] in container d1 \\(image bb\\) from the host; runc, asked by a client behind a socket$"
[[ $(note ancestors) =~ ^runc\[[0-9]+\],containerd-shim\[[0-9]+\] ]] ||
  bad "ancestors: $(note ancestors)"

$DOCKER run --rm --cidfile "$T/d2.cid" --name d2 --network none --pid=host --cap-add SYS_ADMIN \
  --cap-add SYS_PTRACE --security-opt seccomp=unconfined \
  --security-opt apparmor=unconfined "${ULIMITS[@]}" bb \
  nsenter -t $$ -m -u -n -i true || fail "nsenter from a docker container"
# the id docker gave the container, which is gone now
D2=$(cat "$T/d2.cid")
[[ $D2 =~ ^[0-9a-f]{64}$ ]] || fail "docker wrote no container id: \"$D2\""
wait_note activity=escape
expect_note severity=1 direction=container_to_host comm=nsenter joined=ipc,uts,net,mnt \
  container_id="$D2" container_name=d2 image=bb
expect_note_like message " from container d2 \\(image bb\\)$"
[[ $(note cgroup) = */docker/$D2 ]] || bad "cgroup $(note cgroup)"

$DOCKER rm -f d1 > /dev/null
stop_collectd # everything it had to say is out
expect_count "at warning or above" 2 severity~'^[12]$'
expect_count "lateral" 0 activity=lateral
expect_accounted activity=exec -- activity=escape -- \
  activity=plumbing severity=4 exe~'(^|/)dockerd$' -- activity=return severity=4 exe~'(^|/)dockerd$'
finish "docker run, exec, escape: one exec, one escape, dockerd's plumbing ($DETAIL mode)"
