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
for tool in unshare nsenter; do
  command -v $tool >/dev/null || fail "$tool not installed (util-linux)"
done
CGROUP2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$CGROUP2" ] || skip "no cgroup v2 hierarchy mounted"

ID=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
SCOPE="$CGROUP2/system.slice/docker-$ID.scope"
mkdir -p "$SCOPE" || skip "cannot create a cgroup under $CGROUP2"
container_cleanup() {
  [ -n "${HOLDER_PID:-}" ] && kill "$HOLDER_PID" 2>/dev/null && wait "$HOLDER_PID" 2>/dev/null
  HOLDER_PID=
  for _ in $(seq 50); do rmdir "$SCOPE" 2>/dev/null && break; sleep 0.1; done
}
trap 'container_cleanup; cleanup' EXIT

# The host is PID 1's namespaces; where /proc/1/ns is hidden (a sandbox),
# the plugin takes collectd's own, which are this shell's.
HOST_PID=1
readlink /proc/1/ns/net >/dev/null 2>&1 || HOST_PID=$$

NOTIFY_JSON=1 start_collectd ''
read -r verdict detail <<<"$(wait_attach)"
[ "$verdict" = attached ] || fail "plugin did not attach: $detail"
wait_reads 1
NOTE_FAILED=

# in_container CMD...: becomes CMD in the scope, in new namespaces (call
# it in a subshell: it execs).
in_container() {
  exec sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$SCOPE" \
    unshare --pid --mount --uts --ipc --net --fork --kill-child "$@"
}

echo "the host joins the container:"
in_container sleep 60 &
HOLDER_PID=$!
for _ in $(seq 50); do
  TARGET=$(pgrep -P "$HOLDER_PID" -x sleep) && break
  sleep 0.1
done
[ -n "${TARGET:-}" ] || fail "the container's sleep did not start"
"$GEN" --comm exec-into --target "$TARGET" pidfd 1 || fail "pidfd join"
wait_note comm=exec-into
expect_note direction host_to_container comm=exec-into
expect_note target_container_id "$ID" comm=exec-into
expect_note container_id "" comm=exec-into
expect_note severity 2 comm=exec-into
owner=$(notes get target_pid comm=exec-into)
[ "$owner" = "$HOLDER_PID" ] || [ "$owner" = "$TARGET" ] ||
  { echo "  target_pid $owner is not in the container"; NOTE_FAILED=1; }
expect_note message "exec-into[$(notes get pid comm=exec-into)] uid 0 joined net,uts,ipc namespaces of $(cat /proc/$owner/comm)[$owner] (container ${ID:0:12}) from the host" comm=exec-into

echo "the container joins the host:"
(in_container nsenter --net=/proc/$HOST_PID/ns/net --uts=/proc/$HOST_PID/ns/uts true) ||
  fail "nsenter from the container"
wait_note comm=nsenter
expect_note direction container_to_host comm=nsenter
expect_note severity 1 comm=nsenter
expect_note container_id "$ID" comm=nsenter
expect_note cgroup "/system.slice/docker-$ID.scope" comm=nsenter
expect_note ns_inode_new "$(stat -L -c %i /proc/$HOST_PID/ns/uts),$(stat -L -c %i /proc/$HOST_PID/ns/net)" comm=nsenter
expect_note message "nsenter[$(notes get pid comm=nsenter)] uid 0 joined uts,net namespaces of the host from container ${ID:0:12}" comm=nsenter

stop_collectd
[ -z "$NOTE_FAILED" ] || fail "container notifications wrong"
pass "container ${ID:0:12}: joined from the host and escaped from, both named ($detail mode)"
