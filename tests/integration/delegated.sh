#!/bin/bash
# setns-collectd - tests/integration/delegated.sh
#
# A cgroup delegated to a user names no container. A host process in a
# cgroup that uid 65534 owns, named after a real container
# (docker-<its id>.scope under another parent), joins that container's
# namespaces: an enter from the host, notified, not the container's own
# start, which would not be.

. "$(dirname "$0")/lib.sh"

require_root
fake_container
start_attached '' notify_json

hold_cmd in_container
SLICE="${SCOPE%/system.slice/*}/user.slice"
FORGED="$SLICE/docker-$ID.scope"
[ -d "$SLICE" ] || USER_SLICE_MADE=1
rm_forged() {
  rm_cgroup "$FORGED"
  [ -z "${USER_SLICE_MADE:-}" ] || rm_cgroup "$SLICE"
}
AT_CLEANUP+=(rm_forged)
mkdir -p "$FORGED" && chown 65534:65534 "$FORGED" || fail "cannot make a cgroup under $SLICE"
(echo $BASHPID > "$FORGED/cgroup.procs" &&
  exec "$GEN" --comm forged --target "$TARGET" pidfd 1) || fail "the join from the forged cgroup"
wait_note comm=forged
expect_note activity=enter direction=host_to_container container_id= \
  target_container_id="$ID" severity=2
stop_collectd
finish "a join from a user's cgroup named after a container: an enter ($DETAIL mode)"
