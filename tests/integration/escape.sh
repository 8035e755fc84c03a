#!/bin/bash
# setns-collectd - tests/integration/escape.sh
#
# A privileged podman container with the host's pid namespace runs
# nsenter into this shell's namespaces, which are the host's as the
# plugin sees them (collectd's own where /proc/1/ns is hidden): one
# escape, severity failure, naming the container by its name and image
# (from podman's storage, given as ContainersStorage). The rest of what the
# container's start and end make is okay.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
podman_setup
start_attached "ContainersStorage \"$T/podman/root\"
ContainersRunRoot \"$T/podman/run\"" notify_json

# the container's shell prints its pid (the host's: --pid=host) and
# becomes nsenter
timeout 60 $PODMAN run --name esc --privileged --pid=host localhost/bb \
  sh -c 'echo $$; exec nsenter -t "$1" -m -u -n -i true' sh $$ > "$T/esc.pid" ||
  fail "nsenter from the container"
CID=$($PODMAN inspect -f '{{.Id}}' esc)
ESC_PID=$(cat "$T/esc.pid")
wait_note activity=escape pid="$ESC_PID"
expect_note severity=1 direction=container_to_host container_id="$CID" comm=nsenter \
  joined=ipc,uts,net,mnt container_name=esc image=localhost/bb:latest \
  "message=escape: nsenter[$ESC_PID] uid 0 joined ipc,uts,net,mnt namespaces of the host from container esc (image localhost/bb:latest)"
$PODMAN rm esc > /dev/null
stop_collectd # everything it had to say is out
# defaults: start and plumbing are not notified, the escape alone is
expect_count "notifications" 1
finish "a privileged container's nsenter into the host: one escape, failure ($DETAIL mode)"
