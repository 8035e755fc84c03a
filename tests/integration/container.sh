#!/bin/bash
# setns-collectd - tests/integration/container.sh
#
# A container without a container runtime: processes in new namespaces and
# in a cgroup v2 named as docker names its scopes
# (system.slice/docker-<64 hex>.scope). A join into it must name that
# container as the target; a join from it back into the host's namespaces
# must be container_to_host, severity failure.

. "$(dirname "$0")/lib.sh"

require_root
require unshare nsenter
fake_container

start_attached '' notify_json

echo "the host joins the container:"
hold_cmd in_container
"$GEN" --comm exec-into --target "$TARGET" pidfd 1 &
GEN_PID=$!
wait "$GEN_PID" || fail "pidfd join"
wait_note comm=exec-into
expect_note direction=host_to_container target_container_id="$ID" container_id= severity=2
owner=$(note target_pid)
[ "$owner" = "$HOLDER_PID" ] || [ "$owner" = "$TARGET" ] || bad "target_pid $owner is not in the container"
expect_note "message=enter: exec-into[$GEN_PID] uid 0 joined net,uts,ipc namespaces of $(cat /proc/$owner/comm)[$owner] (container ${ID:0:12}) from the host"

echo "the container joins the host:"
escape_to_host || fail "nsenter from the container"
wait_note comm=nsenter pid="$ESCAPE_PID"
expect_note direction=container_to_host severity=1 container_id="$ID" \
  cgroup="/system.slice/docker-$ID.scope" \
  ns_inode_new="$(stat -L -c %i /proc/$HOST_PID/ns/uts),$(stat -L -c %i /proc/$HOST_PID/ns/net)" \
  "message=escape: nsenter[$ESCAPE_PID] uid 0 joined uts,net namespaces of the host from container ${ID:0:12}"

stop_collectd
finish "container ${ID:0:12}: joined from the host and escaped from, both named ($DETAIL mode)"
