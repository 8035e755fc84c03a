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
FORGED="${SCOPE%/system.slice/*}/user.slice/docker-$ID.scope"
mkdir -p "$FORGED" && chown 65534:65534 "$FORGED" || skip "cannot make a cgroup under ${SCOPE%/system.slice/*}/user.slice"
rm_forged() { for _ in $(seq 50); do rmdir "$FORGED" 2>/dev/null && break; sleep 0.1; done; }
AT_CLEANUP+=(rm_forged)
(echo $BASHPID > "$FORGED/cgroup.procs" &&
  exec "$GEN" --comm forged --target "$TARGET" pidfd 1) || fail "the join from the forged cgroup"
wait_note comm=forged
expect_note activity=enter direction=host_to_container container_id= \
  target_container_id="$ID" severity=2
stop_collectd
finish "a join from a user's cgroup named after a container: an enter ($DETAIL mode)"
