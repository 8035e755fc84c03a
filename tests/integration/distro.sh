#!/bin/bash
# setns-collectd - tests/integration/distro.sh
#
# Debian's own collectd, as an operator gets it: apt-get install collectd
# and our .deb (package.sh), /etc/collectd/collectd.conf as the package
# ships it, the daemon started by its init script (/usr/sbin/collectd -C
# /etc/collectd/collectd.conf under collectdmon). Then known joins of the
# time namespace, which nothing else on a quiet machine joins, each by a
# process of its own into the time namespace of a process the test holds
# (an enter, which the stock configuration notifies), and failed calls
# (EINVAL):
# - the rrd files the stock config writes hold them exactly: rrdtool
#   lastupdate, the raw counter, grows by the count; the rates rrdtool
#   fetch gives add up to it over the interval steps;
# - syslog, where the stock config logs, has one notification per join,
#   at LOG_WARNING, and none for the failures. Where the machine has no
#   /dev/log, the test's own listener (syslog.py) is it; where it has one,
#   the listener takes its place for the daemon alone, in a mount namespace.
# Then the machine as it was: the daemon stopped, the packages it installed
# purged, /etc identical (checked against a listing with checksums),
# /var/lib/collectd as it was.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/package.sh"

require_root
require apt-get dpkg-query rrdtool python3 unshare
[ -x "$GEN" ] || fail "not built: $GEN"
CONF=/etc/collectd/collectd.conf
PIDFILE=/var/run/collectd.pid
VARLIB=/var/lib/collectd
POLICY=/usr/sbin/policy-rc.d
TYPE=time N=5 EINVAL=3
[ -e /proc/self/ns/time ] || TYPE=uts # no time namespaces before Linux 5.6
export SYSTEMCTL_SKIP_REDIRECT=1 _SYSTEMCTL_SKIP_REDIRECT=1 # the script itself, not a unit

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }
running() { [ -s "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
running && skip "the system's collectd is running (pid $(cat "$PIDFILE"))"
# a collectd on the system's config without a pid file (systemd runs it
# so); those on a config of their own are other tests'
for p in $(pgrep -x collectd); do
  args=" $(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null)"
  [ "$(readlink "/proc/$p/exe")" = /usr/sbin/collectd ] || continue
  [[ $args == *" -C "* && $args != *" -C $CONF "* ]] && continue
  skip "the system's collectd is running (pid $p)"
done
installed collectd-setns && skip "collectd-setns is installed already: the test would replace it"
if installed collectd && dpkg -V collectd | grep -q " $CONF\$"; then
  skip "$CONF is not the one Debian ships"
fi

echo "the package:"
pkg_deb

# What the test changes and must give back.
etc_state() {
  find /etc -xdev -printf '%y %m %u:%g %p -> %l\n' | sort
  find /etc -xdev -type f -print0 | sort -z | xargs -0 sha256sum
}
# installed or half so, not those dpkg only knows of (purged: "pn")
packages() {
  dpkg-query -W -f='${binary:Package} ${db:Status-Abbrev}\n' | awk 'substr($2, 2, 1) != "n"' | sort
}
archives() { ls /var/cache/apt/archives/*.deb 2>/dev/null | sort; }
etc_state > "$T/etc.before"
packages > "$T/packages.before"
archives > "$T/archives.before"
[ ! -d "$VARLIB" ] || tar -C "$(dirname "$VARLIB")" -cpf "$T/varlib.tar" "$(basename "$VARLIB")"
[ ! -e "$POLICY" ] || cp -a "$POLICY" "$T/policy-rc.d"
RESTORED=

# restore: the machine as it was; returns what it could not restore.
restore() {
  local new
  [ -z "$RESTORED" ] || return 0
  RESTORED=1
  running && /etc/init.d/collectd stop >/dev/null 2>&1
  syslog_stop
  new=$(join -v2 <(awk '$2 == "ii" { print $1 }' "$T/packages.before") \
    <(packages | awk '$2 == "ii" { print $1 }'))
  [ -z "$new" ] || DEBIAN_FRONTEND=noninteractive apt-get purge -y -q $new >"$T/purge.log" 2>&1 ||
    echo "apt-get purge $new failed"
  rm -f "$POLICY"
  [ ! -e "$T/policy-rc.d" ] || cp -a "$T/policy-rc.d" "$POLICY"
  rm -rf "$VARLIB"
  [ ! -e "$T/varlib.tar" ] || tar -C "$(dirname "$VARLIB")" -xpf "$T/varlib.tar"
  comm -13 "$T/archives.before" <(archives) | xargs -r rm -f
  rm -f "$PIDFILE"
}
AT_CLEANUP+=(restore)

# The syslog listener (syslog_listen, lib.sh); the daemon started with it
# as its /dev/log.
SYSLOG=$T/syslog LISTENER=
syslog_stop() {
  [ -n "$LISTENER" ] || return 0
  kill -TERM "$LISTENER" && wait "$LISTENER"
  LISTENER=
}
start_daemon() { (with_dev_log /etc/init.d/collectd start); }

echo "apt-get install collectd and the package, the daemon kept stopped:"
printf '#!/bin/sh\nexit 101\n' > "$POLICY" && chmod 755 "$POLICY"
apt-cache policy collectd | grep -q 'Candidate: [0-9]' ||
  apt-get update -q >/dev/null 2>&1
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  collectd "$PKG_FILE" > "$T/install.log" 2>&1 || { tail "$T/install.log"; fail "apt-get install failed"; }
echo "  installed: $(join -v2 <(awk '$2 == "ii" { print $1 }' "$T/packages.before") \
  <(packages | awk '$2 == "ii" { print $1 }') | paste -sd' ')"
running && bad "the packages started collectd despite policy-rc.d"
expect "files dpkg -V finds changed" "$(dpkg -V collectd collectd-setns)" ""
expect "$CONF includes" "$(grep -A1 '^<Include' "$CONF" | paste -sd' ')" \
  '<Include "/etc/collectd/collectd.conf.d"> 	Filter "*.conf"'
rm -f "$POLICY"
[ ! -e "$T/policy-rc.d" ] || cp -a "$T/policy-rc.d" "$POLICY"

echo "/etc/init.d/collectd start:"
syslog_listen "$SYSLOG"
start_daemon > "$T/start.log" 2>&1 || { cat "$T/start.log"; fail "/etc/init.d/collectd start failed"; }
for _ in $(seq 100); do running && break; sleep 0.1; done
running || fail "no collectd after /etc/init.d/collectd start: $(cat "$T/start.log")"
daemon=$(pgrep -P "$(cat "$PIDFILE")" -x collectd) || fail "collectdmon started no collectd"
expect "collectd" "$(readlink "/proc/$daemon/exe") $(tr '\0' ' ' < "/proc/$daemon/cmdline")" \
  "/usr/sbin/collectd collectd -C $CONF -f "
for _ in $(seq 600); do grep -q 'setns plugin: \(attached in\|.*disabled\)' "$SYSLOG" && break; sleep 0.1; done
mode=$(sed -nE 's/.*setns plugin: attached in ([a-z_]+) mode.*/\1/p' "$SYSLOG" | head -1)
[ -n "$mode" ] || fail "the plugin did not attach: $(grep 'setns plugin' "$SYSLOG" | tail -3)"
echo "  attached in $mode mode"

# last FILE: "TIME VALUE", the last update rrdtool has of FILE.
last() { rrdtool lastupdate "$1" 2>/dev/null | awk -F': ' 'NF == 2 { print $1, $2 }' | tail -1; }
# update_after FILE TIME: waits for an update of FILE after TIME; UT and
# UV are its time and value.
update_after() {
  local l
  for _ in $(seq 300); do
    l=$(last "$1")
    if [ -n "$l" ] && [ "${l%% *}" -gt "$2" ]; then
      UT=${l%% *} UV=${l#* }
      return 0
    fi
    sleep 0.1
  done
  fail "no update of $1 after $(date -d "@$2" +%T)"
}

for _ in $(seq 600); do
  dir=$(dirname "$(ls "$VARLIB"/rrd/*/setns/operations-$TYPE.rrd 2>/dev/null | head -1)")
  [ "$dir" != . ] && break
  sleep 0.1
done
[ "$dir" != . ] || fail "no $VARLIB/rrd/*/setns/operations-$TYPE.rrd after a minute"
host=$(basename "$(dirname "$dir")")
OPS=$dir/operations-$TYPE.rrd ERRS=$dir/errors-einval.rrd
echo "  writing $dir"
# errors-einval is written from the first failure on: one before
"$GEN" --comm distro-check einval 1 || fail "the generator could not make its call"
for _ in $(seq 300); do [ -e "$ERRS" ] && break; sleep 0.1; done
update_after "$ERRS" 0
# one more update: the rates before the joins are known in both files
update_after "$OPS" "$UT" && t1=$UT ops1=$UV
update_after "$ERRS" "$((t1 - 1))" && errs1=$UV

echo "joins: $N of $TYPE, $EINVAL calls failing with EINVAL:"
hold "--$TYPE"
inode=$(stat -L -c %i "/proc/$TARGET/ns/$TYPE")
pids=()
for _ in $(seq "$N"); do
  "$GEN" --comm distro-check --target "$TARGET" "$TYPE" 1 &
  pids+=($!)
  wait $! || fail "the generator could not make its join"
done
"$GEN" --comm distro-check einval "$EINVAL" || fail "the generator could not make its calls"
end=$(date +%s)
# the first update after the joins, and two more: no further change. Its
# time may be the read's rounded up: a second later is after the joins.
update_after "$OPS" "$((end + 1))" && opsa=$UV
update_after "$OPS" "$UT"
update_after "$OPS" "$UT" && tc=$UT opsc=$UV
update_after "$ERRS" "$((tc - 1))" && errsc=$UV
expect "rrdtool lastupdate operations-$TYPE, first update after" "$((opsa - ops1))" "$N"
expect "rrdtool lastupdate operations-$TYPE, two updates later" "$((opsc - ops1))" "$N"
expect "rrdtool lastupdate errors-einval" "$((errsc - errs1))" "$EINVAL"
# rrdtool fetch: the rate over each 10 s step (labelled by its end); from
# the step holding t1 to the last step before tc, they add up to the joins.
fetched() {
  rrdtool fetch "$1" AVERAGE -r 10 -s "$((t1 - 20))" -e "$tc" |
    awk -v from="$((t1 / 10 * 10))" -v to="$((tc / 10 * 10))" -F': ' '
      NF == 2 && $1 > from && $1 <= to { n++; if ($2 ~ /nan/) u++; else s += $2 * 10 }
      END { printf "%d steps, %d unknown, total %.6f\n", n, u, s }'
}
f=$(fetched "$OPS")
expect "rrdtool fetch operations-$TYPE" "${f%total*}total $(printf '%.0f' "${f##*total }")" \
  "$(((tc / 10 * 10 - t1 / 10 * 10) / 10)) steps, 0 unknown, total $N"
f=$(fetched "$ERRS")
expect "rrdtool fetch errors-einval" "$(printf '%.0f' "${f##*total }")" "$EINVAL"

echo "syslog:"
notes=$(grep -c 'plugin = setns' "$SYSLOG")
expect "notifications of setns" "$notes" "$N"
for pid in "${pids[@]}"; do
  re="^<28>[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} collectd\\[$daemon\\]: Notification: severity = WARNING, host = $host, plugin = setns, plugin_instance = enter, type = operations, type_instance = $TYPE, message = enter: distro-check\\[$pid\\] uid 0 joined $TYPE namespace $inode of sleep\\[$TARGET\\] from the host\$"
  expect "the join of $TYPE by distro-check[$pid] (LOG_DAEMON|LOG_WARNING)" \
    "$(grep 'plugin = setns' "$SYSLOG" | grep -cE "$re")" 1
done
grep -m1 'plugin = setns' "$SYSLOG" | sed 's/^/  /'

echo "/etc/init.d/collectd stop:"
/etc/init.d/collectd stop > "$T/stop.log" 2>&1 || bad "/etc/init.d/collectd stop: $(cat "$T/stop.log")"
for _ in $(seq 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
kill -0 "$daemon" 2>/dev/null && bad "collectd $daemon still running after stop"
grep -q 'collectd\[[0-9]*\]: Exiting normally' "$SYSLOG" || bad "collectd did not log \"Exiting normally\""
expect_unloaded

echo "the machine as it was:"
restore
expect "packages changed" "$(diff "$T/packages.before" <(packages) | grep '^[<>]' | paste -sd' ')" ""
expect "/etc changed" "$(diff "$T/etc.before" <(etc_state) | grep '^[<>]' | head -5 | paste -sd' ')" ""
[ "$LOGSOCK" != /dev/log ] || [ ! -e /dev/log ] || bad "/dev/log left"
if [ -e "$T/policy-rc.d" ]; then cmp -s "$POLICY" "$T/policy-rc.d" || bad "$POLICY not restored"
else [ ! -e "$POLICY" ] || bad "$POLICY left"; fi
finish "Debian's collectd $(dpkg-query -W -f='${Version}' collectd-core) with $PKG_DEB: exact rrd values and $notes syslog notifications ($mode mode), all removed"
