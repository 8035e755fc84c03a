#!/bin/bash
# setns-collectd - tests/integration/runc.sh
#
# runc alone with an OCI bundle, as a person would run it: runc run makes
# the container's namespaces anew (no join), runc exec joins them. The
# exec names runc and who asked for it, this script: nothing detaches in
# between. Once with a container named as runtimes name theirs (64 hex
# digits, found in its cgroup), once named "plain".

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
require runc
rootfs_tar
B=$T/bundle
mkdir -p "$B/rootfs" && tar -C "$B/rootfs" -xf "$T/rootfs.tar"
(cd "$B" && runc spec) || fail "runc spec"
python3 - "$B/config.json" <<'PY'
import json, sys
p = sys.argv[1]
c = json.load(open(p))
c["process"]["terminal"] = False
c["process"]["args"] = ["sleep", "1000"]
c["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}]
json.dump(c, open(p, "w"))
PY
RUNC="runc --root $T/runc"
HEX=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
runc_teardown() {
  local id
  for id in "$HEX" plain; do $RUNC delete -f "$id" > /dev/null 2>&1; done
}
AT_CLEANUP+=(runc_teardown)
start_attached '' notify_json

for id in "$HEX" plain; do
  $RUNC run -d --bundle "$B" "$id" > "$T/run-$id.log" 2>&1 < /dev/null || fail "runc run $id"
  tpid=$($RUNC state "$id" | sed -n 's/.*"pid": \([0-9]*\).*/\1/p')
  $RUNC exec "$id" true || fail "runc exec $id"
  wait_note activity=exec target_pid="$tpid"
  [ "$id" = plain ] && want_cid= || want_cid=$id
  expect_note runtime=runc target_container_id="$want_cid" direction=host_to_container \
    joined=ipc,uts,net,pid,mnt severity=2
  [[ $(note message) = *"; runc, asked by $(cat /proc/$$/comm)[$$]" ]] || bad "message: $(note message)"
done
runc_teardown
stop_collectd # everything it had to say is out
# runc run joins nothing: the two execs are all there is
expect_count "notifications" 2
finish "runc alone: run joins nothing, each exec names runc and this script ($DETAIL mode)"
