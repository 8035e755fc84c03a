#!/bin/bash
# setns-collectd - tests/integration/pod.sh
#
# A podman pod with two containers: each joins the infra container's
# namespaces, as every container of a Kubernetes pod joins its sandbox's.
# That is a start, never lateral movement, and nothing is at warning.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
require catatonit
podman_setup
start_attached "$EVERY_ACTIVITY" notify_json

POD=$($PODMAN pod create --name p1) || fail "podman pod create"
for c in pa pb; do
  $PODMAN run -d --pod p1 --name $c localhost/bb sleep 1000 > /dev/null || fail "podman run --pod p1 $c"
done
INFRA=$($PODMAN pod inspect -f '{{.InfraContainerID}}' p1)
for c in pa pb; do
  id=$($PODMAN inspect -f '{{.Id}}' $c)
  wait_note activity=start container_id="$id"
  expect_note pod_uid="$POD" target_container_id="$INFRA" target_pod_uid="$POD" \
    joined=ipc,uts,net severity=4
done
$PODMAN pod rm -f -t 0 p1 > /dev/null || fail "podman pod rm"
stop_collectd # everything it had to say is out
expect_count "at warning or above" 0 severity~'^[12]$'
expect_count "lateral" 0 activity=lateral
# the infra container's own start, into the namespace podman prepared
expect_count "starts" 3 activity=start pod_uid="$POD"
expect_accounted activity=start pod_uid="$POD" -- \
  activity=plumbing severity=4 comm~'^(podman|bridge|tuning|loopback|portmap|firewall)$' -- \
  activity=return severity=4 comm~'^(podman|bridge|tuning|loopback|portmap|firewall)$'
finish "a pod of two containers: 3 starts, no lateral, nothing at warning ($DETAIL mode)"
