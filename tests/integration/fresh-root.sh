#!/bin/bash
# setns-collectd - tests/integration/fresh-root.sh
#
# A new user's first run, on a machine that has never seen the project: a
# minimal Debian 12 root made by mmdebstrap (--variant=apt) from the
# package sources apt uses here, the checkout copied in as a fresh clone
# has it (package.sh's pkg_source), and scripts/demo run in it with
# chroot. The kernel is this machine's, so the plugin loads its BPF
# program as on the host. The demo must install what it needs, build,
# attach, see its joins and draw its graph, the first time.
#
# Everything runs in a mount namespace of its own (/proc, /sys and /dev
# bound into the root there, the root a tmpfs), so nothing it mounts can
# outlive it; the test then checks that nothing is left mounted under the
# root, running in it, or loaded in the kernel.
#
# The root as mmdebstrap makes it is kept as a tarball in
# $SETNS_FRESH_CACHE (/var/cache/setns-fresh-root) for a week, and the
# .debs the demo downloads in an apt archive there: the demo still
# resolves and installs every package itself, from a root without them.
# Where the package sources cannot be reached, the test is a SKIP.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/package.sh"

require_root
require mmdebstrap chroot unshare tar findmnt
CACHE=${SETNS_FRESH_CACHE:-/var/cache/setns-fresh-root}
SOURCES=/etc/apt/sources.list.d/debian.sources
[ -f "$SOURCES" ] || SOURCES=/etc/apt/sources.list
[ -f "$SOURCES" ] || fail "no apt sources on this machine"
ROOT=$T/root

# The package sources, reached or not, before anything else is tried: the
# first suite's Release file of the first URI apt is given.
uri=$(sed -nE 's/^URIs: *([^ ]+).*/\1/p; s/^deb +(\[[^]]*\] +)?([^ ]+) .*/\2/p' "$SOURCES" | head -1)
suite=$(sed -nE 's/^Suites: *([^ ]+).*/\1/p; s/^deb +(\[[^]]*\] +)?[^ ]+ +([^ ]+).*/\2/p' "$SOURCES" | head -1)
[ -n "$uri" ] && [ -n "$suite" ] || fail "no URI and suite in $SOURCES"
/usr/lib/apt/apt-helper download-file "$uri/dists/$suite/Release" "$T/Release" \
  > "$T/probe.log" 2>&1 || skip "the package sources cannot be reached: $uri/dists/$suite/Release: $(tail -1 "$T/probe.log")"

# apt's Acquire settings here (a mirror that serves old Release files,
# say) are the root's too.
aptopts=()
for f in /etc/apt/apt.conf.d/*; do
  grep -q '^Acquire::' "$f" 2>/dev/null && aptopts+=("--aptopt=$f")
done

# The base root, made anew when its sources or options changed or it is
# over a week old.
key=$(cat "$SOURCES" "${aptopts[@]#--aptopt=}" | sha256sum | cut -c1-16)
BASE=$CACHE/bookworm-apt-$key.tar
mkdir -p "$CACHE/archives/partial"
if [ -z "$(find "$BASE" -mtime -7 2>/dev/null)" ]; then
  rm -f "$CACHE"/bookworm-apt-*.tar
  echo "mmdebstrap --variant=apt bookworm:"
  t0=$SECONDS
  # (mmdebstrap writes a tarball for a name ending in .tar)
  mmdebstrap --variant=apt --quiet "${aptopts[@]}" bookworm "$CACHE/new.tar" "$SOURCES" \
    > "$T/mmdebstrap.log" 2>&1 || { tail -20 "$T/mmdebstrap.log"; fail "mmdebstrap failed"; }
  mv "$CACHE/new.tar" "$BASE"
  echo "  $(du -h "$BASE" | cut -f1) in $((SECONDS - t0)) s, kept as $BASE"
else
  echo "the base root: $BASE, made $(date -r "$BASE" '+%F %T')"
fi

echo "the checkout, as a clone has it:"
SRC=$T/src
pkg_source "$SRC"
echo "  $(find "$SRC" -type f | wc -l) files"

# Runs in the test's mount namespace: the root on a tmpfs, the kernel's
# file systems bound in (rslave: an unmount here never reaches the host),
# the demo by chroot, its exit status in the root's /demo.rc.
cat > "$T/inside.sh" <<'EOF'
set -u
ROOT=$1 BASE=$2 SRC=$3 CACHE=$4
readlink /proc/self/ns/mnt > "$5/mntns"
mount -t tmpfs -o size=8g,mode=755 fresh "$ROOT" || exit 2
tar -xf "$BASE" -C "$ROOT" || exit 2
# a new machine has never run the project: no collectd, no build tools
for p in collectd-core clang libbpf-dev; do
  chroot "$ROOT" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' &&
    { echo "the base root already has $p"; exit 2; }
done
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mkdir -p "$ROOT/root/setns-collectd"
cp -a "$SRC/." "$ROOT/root/setns-collectd/"
mount -t proc proc "$ROOT/proc" &&
  mount --rbind /sys "$ROOT/sys" && mount --make-rslave "$ROOT/sys" &&
  mount --rbind /dev "$ROOT/dev" && mount --make-rslave "$ROOT/dev" &&
  mount -t tmpfs tmpfs "$ROOT/run" && mount -t tmpfs tmpfs "$ROOT/tmp" &&
  mount --bind "$CACHE/archives" "$ROOT/var/cache/apt/archives" || exit 2
chroot "$ROOT" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  /root/setns-collectd/scripts/demo
echo $? > "$ROOT/demo.rc"
cp "$ROOT/demo.rc" "$ROOT/root/setns-collectd/_build/setns-demo.png" "$5/" 2>/dev/null
chroot "$ROOT" dpkg-query -W -f='${Package}\n' > "$5/packages"
EOF

echo "scripts/demo in the fresh root, by chroot:"
t0=$SECONDS
mkdir -p "$ROOT" "$T/out"
timeout 600 unshare --mount --propagation private \
  bash "$T/inside.sh" "$ROOT" "$BASE" "$SRC" "$CACHE" "$T/out" > "$T/demo.out" 2>&1
rc=$?
sed 's/^/  | /' "$T/demo.out"
echo "  ($((SECONDS - t0)) s)"
[ "$rc" != 124 ] || bad "the demo did not end within 600 s"
[ "$rc" != 2 ] || fail "the fresh root could not be set up (above)"
expect "the demo's exit status" "$(cat "$T/out/demo.rc" 2>/dev/null)" 0
grep -q '^== installing [0-9]* packages (log: .*): ok$' "$T/demo.out" ||
  bad "the demo did not install its packages in the fresh root"
grep -q '^== build: ok' "$T/demo.out" || bad "the demo did not build"
grep -qE '^== collectd -f with the setns plugin \([a-z_]+ mode\)' "$T/demo.out" ||
  bad "the plugin did not attach"
expect "the demo's count of its net joins" \
  "$(sed -nE 's/^>> done: operations-net rose by ([0-9]+) .*/\1/p' "$T/demo.out")" 10
grep -qE '^[0-9:]{8}  (okay|warning|failure)  [a-z]+: ' "$T/demo.out" ||
  bad "the demo showed no notification"
[ -s "$T/out/setns-demo.png" ] && [ "$(head -c 4 "$T/out/setns-demo.png" | od -An -c | tr -d ' ')" = '211PNG' ] ||
  bad "no graph: _build/setns-demo.png"
for p in collectd-core clang rrdtool; do
  grep -qx "$p" "$T/out/packages" || bad "the demo did not install $p"
done

echo "left behind:"
expect "mounts under the root" "$(findmnt -rn -o TARGET | grep -c "^$ROOT")" 0
# the test's mount namespace ends with its last process
ns=$(cat "$T/out/mntns")
[ -n "$ns" ] || bad "the mount namespace of the root was not recorded"
left=$(for p in /proc/[0-9]*; do
  [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"; done)
expect "processes left in its mount namespace" "$(echo $left)" ""
expect_unloaded
finish "scripts/demo on a fresh Debian 12 root: installed, built, attached, 10 net joins counted, in $((SECONDS - t0)) s"
