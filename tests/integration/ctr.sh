#!/bin/bash
# setns-collectd - tests/integration/ctr.sh
#
# containerd alone through ctr, in Kubernetes' namespace and cgroup layout
# (kubepods/besteffort/pod<UID>/<ID>), as a kubelet would run a pod's
# container: ctr run, then ctr task exec, which containerd's shim has runc
# do. The container carries the annotations Kubernetes' CRI plugin writes
# into the bundle's config.json (its name, pod, namespace and image), which
# the plugin reads under ContainerdState. The exec is one warning naming
# the container and its pod; the start is okay; nothing else is at warning
# or above.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/runtimes.sh"

require_root
ctr_setup
ID=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
UID_=$(cat /proc/sys/kernel/random/uuid)
start_attached "$EVERY_ACTIVITY
ContainerdState \"$T/ctd/state\"" notify_json

CRI=io.kubernetes.cri
# the annotations before --rootfs, which takes no value: the rootfs is
# the first argument, and ctr reads no flag after one
timeout 60 $CTR run -d --cgroup "/kubepods/besteffort/pod$UID_/$ID" \
  --annotation $CRI.container-type=container --annotation $CRI.container-name=app \
  --annotation $CRI.sandbox-name=web-5d9f --annotation $CRI.sandbox-namespace=shop \
  --annotation $CRI.image-name=docker.io/library/busybox:1.36 \
  --rootfs "$ROOTFS" "$ID" /bin/sleep 1000 > "$T/ctr-run.log" 2>&1 || { cat "$T/ctr-run.log"; fail "ctr run"; }
TPID=$($CTR task ls | awk -v id="$ID" '$1 == id { print $2 }')
[ -n "$TPID" ] || fail "no task for $ID"
timeout 60 $CTR task exec --exec-id e1 "$ID" /bin/true || fail "ctr task exec"
# read while the container still runs, then everything once collectd stops
wait_note activity=exec
$CTR task kill -s KILL "$ID" > /dev/null 2>&1
stop_collectd
expect_note severity=2 runtime=runc direction=host_to_container target_pid="$TPID" \
  target_container_id="$ID" target_pod_uid="$UID_" target_container_name=app \
  target_pod_name=web-5d9f target_pod_namespace=shop target_image=docker.io/library/busybox:1.36
# runc's child is gone by now: its pid is known to be a number only
expect_note_like message "^exec: runc:\\[1:CHILD\\]\\[[0-9]+\\] uid 0 joined ipc,uts,net,pid,mnt namespaces of sleep\\[$TPID\\] in container app \\(image docker.io/library/busybox:1.36, pod shop/web-5d9f\\) from the host; runc, asked by a client behind a socket$"
expect_count "execs" 1 activity=exec
expect_count "at warning or above" 1 severity~'^[12]$'
expect_accounted activity=exec -- activity=start container_id="$ID" container_name=app \
  pod_name=web-5d9f -- \
  activity=plumbing severity=4 -- activity=return severity=4
finish "ctr run and task exec in kubepods: one exec naming the container and pod ($DETAIL mode)"
