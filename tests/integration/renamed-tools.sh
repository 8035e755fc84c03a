#!/bin/bash
# setns-collectd - tests/integration/renamed-tools.sh
#
# A name buys no silence. Root copies nsenter under the names of a CNI
# plugin (bridge), a container engine (podman) and a runtime (runc) and
# enters a running podman container with each from this shell: plumbing
# would be quiet, but nothing above them is a container engine, as the
# kernel names their ancestors' executables, and none steps back out.
# Each is a warning, with the defaults: enter, or exec for the runtime's
# name (an exec is what a runtime entering a container is). The real
# podman exec beside them is one exec too; the container's start and
# podman's own plumbing are not notified.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
require nsenter
podman_setup
start_attached '' notify_json
$PODMAN run -d --name c1 localhost/bb sleep 1000 > /dev/null || fail "podman run"
TPID=$($PODMAN inspect -f '{{.State.Pid}}' c1)
CID=$($PODMAN inspect -f '{{.Id}}' c1)
mkdir -p "$T/bin"
for name in bridge podman runc; do
  cp "$(command -v nsenter)" "$T/bin/$name"
  # nsenter execs sh: its pid is the caller's
  "$T/bin/$name" -t "$TPID" -n -u sh -c 'echo $$ > "$1"' sh "$T/$name.pid" ||
    fail "$name (nsenter) into the container"
done
timeout 60 $PODMAN exec c1 true || fail "podman exec"
# read while the container still runs, then everything once collectd stops
for name in bridge podman runc; do wait_note pid="$(cat "$T/$name.pid")"; done
wait_note activity=exec comm~'^runc:'
$PODMAN rm -f -t 0 c1 > /dev/null
stop_collectd

for name in bridge podman; do
  NOTE_SEL=(pid="$(cat "$T/$name.pid")")
  expect_note activity=enter severity=2 direction=host_to_container joined=uts,net \
    target_pid="$TPID" target_container_id="$CID"
done
NOTE_SEL=(pid="$(cat "$T/runc.pid")")
expect_note activity=exec severity=2 target_container_id="$CID"
expect "podman exec's exec" "$(notes count activity=exec comm~'^runc:' severity=2)" 1
expect "notifications" "$(notes count)" 4
finish "nsenter named bridge, podman, runc: enter, enter, exec, each a warning ($DETAIL mode)"
