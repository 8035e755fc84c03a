#!/bin/bash
# setns-collectd - tests/integration/pod.sh
#
# A podman pod with two containers: each joins the infra container's
# namespaces, as every container of a Kubernetes pod joins its sandbox's.
# That is a start, never lateral movement, and nothing is at warning but
# an exec into one of them, which names the pod.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
require catatonit
podman_setup
start_attached "$EVERY_ACTIVITY
ContainersStorage \"$T/podman/root\"
ContainersRunRoot \"$T/podman/run\"" notify_json

POD=$($PODMAN pod create --name p1) || fail "podman pod create"
for c in pa pb; do
  $PODMAN run -d --pod p1 --name $c localhost/bb sleep 1000 > /dev/null || fail "podman run --pod p1 $c"
done
INFRA=$($PODMAN pod inspect -f '{{.InfraContainerID}}' p1)
for c in pa pb; do
  id=$($PODMAN inspect -f '{{.Id}}' $c)
  wait_note activity=start container_id="$id"
  expect_note pod_uid="$POD" target_container_id="$INFRA" target_pod_uid="$POD" \
    joined=ipc,uts,net severity=4 container_name=$c pod_name=p1
done
# an exec into one of them names the pod: podman keeps its name as the
# infra container's hostname. The namespace it names first (ipc) is the
# pod's, whose lowest process is the infra container's.
$PODMAN exec pa true || fail "podman exec pa"
wait_note activity=exec
expect_note target_pod_name=p1 target_pod_namespace= target_pod_uid="$POD" severity=2
expect_note_like message " in container [^ ]+ \\(image [^ ,]+, pod p1\\) from the host; runc, "
$PODMAN pod rm -f -t 0 p1 > /dev/null || fail "podman pod rm"
stop_collectd # everything it had to say is out
expect_count "at warning or above: the exec" 1 severity~'^[12]$'
expect_count "lateral" 0 activity=lateral
# the infra container's own start, into the namespace podman prepared
expect_count "starts" 3 activity=start pod_uid="$POD"
expect_accounted activity=start pod_uid="$POD" -- activity=exec target_pod_uid="$POD" -- \
  activity=plumbing severity=4 comm~'^(podman|bridge|tuning|loopback|portmap|firewall)$' -- \
  activity=return severity=4 comm~'^(podman|bridge|tuning|loopback|portmap|firewall)$'
finish "a pod of two containers: 3 starts, no lateral, one exec named after its pod ($DETAIL mode)"
