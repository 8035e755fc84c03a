# shellcheck shell=bash
# setns-collectd - tests/integration/runtimes.sh
#
# Real container runtimes for the tests, sourced after lib.sh: podman with
# runc, docker with its own containerd, containerd alone through ctr, LXC,
# systemd-nspawn; runc alone. Each keeps its state
# under the test's $T, runs images imported from busybox-static (nothing
# is pulled), and is torn down by lib.sh's cleanup: no container, daemon,
# monitor or mount is left behind to make joins during later tests.

ULIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

# rootfs_tar: $T/rootfs.tar, busybox-static with every applet linked.
rootfs_tar() {
  [ -f "$T/rootfs.tar" ] && return 0
  local r=$T/rootfs
  mkdir -p "$r/bin" "$r/proc" "$r/sys" "$r/dev" "$r/tmp" "$r/etc"
  cp /bin/busybox "$r/bin/" || fail "busybox-static is not installed"
  # relative links: busybox --install -s would point them at the host's path
  for a in $("$r/bin/busybox" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$r/bin/$a"
  done
  tar -C "$r" -cf "$T/rootfs.tar" .
}

# Unmounts whatever a runtime left mounted under $T, deepest first.
umount_under_t() {
  awk -v t="$T/" 'index($5, t) == 1 { print $5 }' /proc/self/mountinfo |
    sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
}

# podman_setup: $PODMAN, podman on runc with its storage under $T and the
# image localhost/bb. crun refuses cgroup v1 hybrid hosts; this sandbox
# refuses podman's default rlimits, and a pod's infra container takes no
# per-run flags, so both go into containers.conf.
podman_setup() {
  require podman runc
  rootfs_tar
  printf '%s\n' '[engine]' 'runtime = "runc"' '[containers]' \
    'default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]' > "$T/containers.conf"
  export CONTAINERS_CONF=$T/containers.conf
  PODMAN="podman --root $T/podman/root --runroot $T/podman/run --cgroup-manager cgroupfs"
  AT_CLEANUP+=(podman_teardown)
  timeout 120 $PODMAN import "$T/rootfs.tar" localhost/bb > "$T/podman-import.log" 2>&1 ||
    fail "podman import failed: $(tail -1 "$T/podman-import.log")"
}
podman_teardown() {
  $PODMAN pod rm -a -f -t 0 > /dev/null 2>&1
  $PODMAN rm -a -f -t 0 > /dev/null 2>&1
  $PODMAN system reset -f > /dev/null 2>&1
  umount_under_t
}

# docker_setup: $DOCKER, a dockerd and containerd of the test's own, on
# private roots and sockets, without iptables or a bridge (this sandbox
# allows neither), and the image bb.
docker_setup() {
  require dockerd containerd docker
  rootfs_tar
  local d=$T/docker i
  mkdir -p "$d"
  containerd --root "$d/ctd-root" --state "$d/ctd-state" --address "$d/containerd.sock" \
    > "$d/containerd.log" 2>&1 &
  CONTAINERD_PID=$!
  AT_CLEANUP+=(docker_teardown)
  dockerd --data-root "$d/data" --exec-root "$d/exec" --host "unix://$d/docker.sock" \
    --containerd "$d/containerd.sock" --pidfile "$d/docker.pid" --iptables=false \
    --ip6tables=false --bridge=none --ip-masq=false > "$d/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  DOCKER="docker -H unix://$d/docker.sock"
  for ((i = 0; i < 150; i++)); do
    $DOCKER info > /dev/null 2>&1 && break
    kill -0 "$DOCKERD_PID" 2>/dev/null || fail "dockerd exited: $(tail -1 "$d/dockerd.log")"
    sleep 0.2
  done
  ((i < 150)) || fail "dockerd did not answer within 30 s: $(tail -1 "$d/dockerd.log")"
  timeout 120 $DOCKER import "$T/rootfs.tar" bb > "$d/import.log" 2>&1 ||
    fail "docker import failed: $(tail -1 "$d/import.log")"
}
docker_teardown() {
  local ids
  ids=$($DOCKER ps -aq 2>/dev/null)
  [ -z "$ids" ] || $DOCKER rm -f $ids > /dev/null 2>&1
  kill "$DOCKERD_PID" 2>/dev/null && wait "$DOCKERD_PID" 2>/dev/null
  kill "$CONTAINERD_PID" 2>/dev/null && wait "$CONTAINERD_PID" 2>/dev/null
  pkill -f "containerd-shim.*$T/" 2>/dev/null
  umount_under_t
}

# ctr_setup: $CTR, a containerd of the test's own (private root, state and
# socket) in Kubernetes' namespace, and $ROOTFS, busybox-static unpacked
# for ctr run --rootfs (nothing is pulled or imported).
ctr_setup() {
  require containerd ctr runc
  rootfs_tar
  local d=$T/ctd i
  ROOTFS=$T/ctr-rootfs
  mkdir -p "$d" "$ROOTFS" && tar -C "$ROOTFS" -xf "$T/rootfs.tar"
  containerd --root "$d/root" --state "$d/state" --address "$d/containerd.sock" \
    > "$d/containerd.log" 2>&1 &
  CONTAINERD_PID=$!
  AT_CLEANUP+=(ctr_teardown)
  CTR="ctr --address $d/containerd.sock -n k8s.io"
  for ((i = 0; i < 150; i++)); do
    $CTR version > /dev/null 2>&1 && return 0
    kill -0 "$CONTAINERD_PID" 2>/dev/null || fail "containerd exited: $(tail -1 "$d/containerd.log")"
    sleep 0.2
  done
  fail "containerd did not answer within 30 s"
}
ctr_teardown() {
  local id
  for id in $($CTR task ls -q 2>/dev/null); do
    $CTR task kill -s KILL "$id" > /dev/null 2>&1
    timeout 10 $CTR task rm -f "$id" > /dev/null 2>&1
  done
  for id in $($CTR container ls -q 2>/dev/null); do $CTR container rm "$id" > /dev/null 2>&1; done
  kill "$CONTAINERD_PID" 2>/dev/null && wait "$CONTAINERD_PID" 2>/dev/null
  pkill -f "containerd-shim.*$T/" 2>/dev/null
  umount_under_t
}

# lxc_setup NAME: an LXC container NAME from the busybox template, under
# the test's own lxcpath ($LXC runs LXC's tools there), without a network
# (this machine has no lxcbr0), not started.
lxc_setup() {
  require lxc-create lxc-start lxc-attach lxc-stop lxc-destroy
  [ -x /bin/busybox ] || fail "busybox-static is not installed"
  LXCPATH=$T/lxc
  mkdir -p "$LXCPATH"
  LXC_NAMES+=("$1")
  AT_CLEANUP+=(lxc_teardown)
  printf '%s\n' 'lxc.net.0.type = empty' 'lxc.prlimit.nofile = 1024' \
    'lxc.prlimit.nproc = 1024' > "$T/lxc.conf"
  timeout 120 lxc-create -P "$LXCPATH" -n "$1" -f "$T/lxc.conf" -t busybox \
    > "$T/lxc-create.log" 2>&1 || { tail -5 "$T/lxc-create.log"; fail "lxc-create $1"; }
}
lxc_teardown() {
  local n
  for n in "${LXC_NAMES[@]}"; do
    timeout 30 lxc-stop -P "$LXCPATH" -n "$n" -k > /dev/null 2>&1
    timeout 30 lxc-destroy -P "$LXCPATH" -n "$n" -f > /dev/null 2>&1
  done
  umount_under_t
}
LXC_NAMES=()

# The setns block that notifies every activity: a test then sees, and
# accounts for, everything a scenario makes.
EVERY_ACTIVITY='Activity "exec" "enter" "start" "plumbing" "escape" "lateral" "return"'


# expect_count WHAT WANT FILTER...: exactly WANT notifications match.
expect_count() {
  local what=$1 want=$2
  shift 2
  expect "$what" "$(notes count "$@")" "$want"
}

# expect_accounted: every notification is one the scenario expects: the
# counts of the kinds named (FILTER sets separated by --) add up to all.
expect_accounted() {
  local total sum=0 f=()
  total=$(notes count)
  for a in "$@" --; do
    if [ "$a" = -- ]; then sum=$((sum + $(notes count "${f[@]}"))); f=(); else f+=("$a"); fi
  done
  if [ "$sum" != "$total" ]; then
    bad "$((total - sum)) of $total notifications are none of the kinds expected"
    notes list severity activity direction comm message | sed 's/^/    /'
  fi
}
