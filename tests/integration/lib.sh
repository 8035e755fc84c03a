# shellcheck shell=bash
# setns-collectd - tests/integration/lib.sh
#
# Runs the real collectd daemon in the foreground with the plugin just built
# and a temporary config, and reads what it dispatched through the csv
# plugin (StoreRates false: the raw DERIVE counters).
#
# Exit codes follow automake: 0 pass, 1 fail, 77 skip.

set -u

BUILDDIR=${SETNS_BUILDDIR:?run through make check}
SRCDIR=${SETNS_SRCDIR:?run through make check}
GEN="$BUILDDIR/tests/setns-gen"
HOST=setns-test
OUR_PROGS='fexit_setns|fentry_setns|kretprobe_setns|kprobe_setns|tp_exit_setns|tp_enter_setns|raw_tp_exit|raw_tp_enter'
OUR_MAPS='setns_counts|setns_errnos|setns_entries|setns_events|setns_procs'

skip() { echo "SKIP: $*"; cleanup; exit 77; }
fail() { echo "FAIL: $*"; [ -n "${WORK:-}" ] && sed 's/^/  log: /' "$WORK/collectd.log" 2>/dev/null | tail -20; cleanup; exit 1; }
pass() { echo "PASS: $*"; cleanup; exit 0; }

require_root() {
  [ "$(id -u)" = 0 ] || skip "loading BPF programs needs root"
  command -v collectd >/dev/null || fail "collectd not installed (collectd-core)"
  [ -f "$BUILDDIR/.libs/setns.so" ] || fail "plugin not built: $BUILDDIR/.libs/setns.so"
}

collectd_plugindir() {
  collectd -h | sed -n 's/^ *Plugin directory  *//p'
}

# start_collectd "SETNS BLOCK LINES" [extra config]: a collectd reading every
# second, with logfile, csv, load and setns plugins from a private PluginDir.
start_collectd() {
  WORK=$(mktemp -d /tmp/setns-it.XXXXXX)
  chmod 755 "$WORK"
  mkdir -p "$WORK/plugins"
  local sys notify=; sys=$(collectd_plugindir)
  [ -n "${NOTIFY_JSON:-}" ] && notify="$(notify_json_config)"
  for p in logfile csv load ${EXTRA_PLUGINS:-} ${NOTIFY_JSON:+python}; do
    cp "$sys/$p.so" "$WORK/plugins/"
  done
  cp "$BUILDDIR/.libs/setns.so" "$WORK/plugins/"
  cat > "$WORK/collectd.conf" <<CONF
Hostname "$HOST"
FQDNLookup false
Interval ${INTERVAL:-1}
BaseDir "$WORK"
PIDFile "$WORK/collectd.pid"
PluginDir "$WORK/plugins"
TypesDB "/usr/share/collectd/types.db"
LoadPlugin logfile
<Plugin logfile>
  LogLevel info
  File "$WORK/collectd.log"
  Timestamp true
  PrintSeverity true
</Plugin>
LoadPlugin csv
<Plugin csv>
  DataDir "$WORK/csv"
  StoreRates false
</Plugin>
LoadPlugin load
LoadPlugin setns
<Plugin setns>
$1
</Plugin>
${2:-}
$notify
CONF
  # the python consumer is imported from the source tree: leave it clean
  PYTHONDONTWRITEBYTECODE=1 ${COLLECTD_WRAPPER:-} collectd -f -C "$WORK/collectd.conf" > "$WORK/stdout" 2>&1 &
  COLLECTD_PID=$!
}

# With NOTIFY_JSON=1, collectd's python plugin writes every notification,
# meta data included, as a JSON line to $WORK/notifications.json.
notify_json_config() {
  cat <<CONF
<LoadPlugin python>
  Globals true
</LoadPlugin>
<Plugin python>
  ModulePath "$SRCDIR/tests/integration"
  Import "notify_json"
  <Module notify_json>
    File "$WORK/notifications.json"
  </Module>
</Plugin>
CONF
}

# notes count|get|check ...: queries the notifications (see notes.py).
notes() { /usr/bin/python3 "$SRCDIR/tests/integration/notes.py" "$WORK/notifications.json" "$@"; }

# wait_note FILTER...: waits up to 10 s for a notification matching them.
wait_note() {
  local i
  for ((i = 0; i < 100; i++)); do
    [ "$(notes count "$@")" -ge 1 ] && return 0
    sleep 0.1
  done
  echo "  no notification with $*"
  NOTE_FAILED=1
  return 1
}

# expect_note FIELD WANT FILTER...: the last notification matching the
# filters has FIELD = WANT.
expect_note() {
  local field=$1 want=$2 got
  shift 2
  got=$(notes get "$field" "$@")
  if [ "$got" != "$want" ]; then
    echo "  $field: got \"$got\", want \"$want\" ($*)"
    NOTE_FAILED=1
  else
    echo "  $field: $want"
  fi
}

# wait_log REGEX [SECONDS]: true once the log has a matching line.
wait_log() {
  local i
  for ((i = 0; i < ${2:-30} * 10; i++)); do
    grep -Eq -- "$1" "$WORK/collectd.log" 2>/dev/null && return 0
    kill -0 "$COLLECTD_PID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Waits for the plugin's verdict; prints "attached MODE" or "failed WHY".
wait_attach() {
  wait_log 'setns plugin: (attached in|.*cannot attach|no attach mode|loading BPF|the kernel)' 60 ||
    fail "collectd gave no attach verdict (stdout: $(cat "$WORK/stdout"))"
  local line
  if [ -n "${SETNS_TEST_COMPAT:-}" ] && ! grep -q 'setns plugin: SETNS_TEST_COMPAT' "$WORK/collectd.log"; then
    echo "failed SETNS_TEST_COMPAT is set but the plugin did not take the old kernels' path"
    return
  fi
  line=$(grep -E 'setns plugin: attached in' "$WORK/collectd.log" | head -1)
  if [ -n "$line" ]; then
    echo "attached $(sed -E 's/.*attached in ([a-z_]+) mode.*/\1/' <<<"$line")"
  else
    echo "failed $(grep -E '\[error\] setns plugin:' "$WORK/collectd.log" | head -1 | sed 's/.*setns plugin: //')"
  fi
}

csv_file() { ls "$WORK/csv/$HOST/$1/$2"-* 2>/dev/null | tail -1; }

# value PLUGIN TYPE-INSTANCE: the last value written, 0 before any.
value() {
  local f; f=$(csv_file "$1" "$2")
  [ -n "$f" ] || { echo 0; return; }
  tail -1 "$f" | cut -d, -f2 | cut -d. -f1
}

# Waits until N more reads of the setns plugin have been written.
wait_reads() {
  local f n want i
  for ((i = 0; i < 100; i++)); do
    f=$(csv_file setns operations-net)
    [ -n "$f" ] && break
    sleep 0.1
  done
  [ -n "$f" ] || fail "no setns values written"
  n=$(wc -l < "$f"); want=$((n + $1))
  for ((i = 0; i < ($1 + 5) * 10; i++)); do
    [ "$(wc -l < "$f")" -ge "$want" ] && { sleep 0.3; return 0; }
    sleep 0.1
  done
  fail "collectd stopped dispatching setns values"
}

NS_TYPES="net mnt pid uts ipc user cgroup time"

# snapshot NAME: remembers every setns value now, as NAME_<type-instance>.
snapshot() {
  local t
  for t in $NS_TYPES; do eval "$1_operations_$t=$(value setns "operations-$t")"; done
  for t in eperm einval ebadf; do eval "$1_errors_$t=$(value setns "errors-$t")"; done
}

# snapshot_value NAME TYPE-INSTANCE: what snapshot NAME remembered for it.
snapshot_value() {
  local key="$1_${2/-/_}"
  echo "${!key}"
}

# expect_delta TYPE-INSTANCE WANT: the value grew by exactly WANT since
# snapshot "before" (taken again as "after" by the caller).
expect_delta() {
  local b a
  b=$(snapshot_value before "$1") a=$(snapshot_value after "$1")
  if [ "$((a - b))" != "$2" ]; then
    echo "  $1: collectd counted $((a - b)), want $2"
    DELTA_FAILED=1
  else
    echo "  $1: $2"
  fi
}

stop_collectd() {
  [ -n "${COLLECTD_PID:-}" ] || return 0
  kill -TERM "$COLLECTD_PID" 2>/dev/null
  wait "$COLLECTD_PID" 2>/dev/null
  COLLECTD_PID=
}

# After collectd exits, none of the plugin's programs or maps may remain.
# The kernel frees them after an RCU grace period, so allow it a moment.
expect_unloaded() {
  local left i
  for ((i = 0; i < 100; i++)); do
    left=$(bpftool prog show 2>/dev/null | grep -Ew "$OUR_PROGS")
    left+=$(bpftool map show 2>/dev/null | grep -Ew "$OUR_MAPS")
    [ -z "$left" ] && return 0
    sleep 0.1
  done
  fail "left loaded 10 s after collectd exited: $left"
}

# hold UNSHARE-OPTIONS...: runs `unshare OPTIONS --fork sleep 60` and sets
# HOLDER_PID to the unshare, TARGET to the sleep, which lives in the new
# namespaces. The sleep dies with the unshare (cleanup kills it).
hold() {
  unshare "$@" --fork --kill-child sleep 60 &
  HOLDER_PID=$!
  TARGET=
  for _ in $(seq 50); do
    TARGET=$(pgrep -P "$HOLDER_PID" -x sleep) && return 0
    sleep 0.1
  done
  fail "unshare $* did not start its sleep"
}

cleanup() {
  stop_collectd
  [ -n "${HOLDER_PID:-}" ] && kill "$HOLDER_PID" 2>/dev/null && wait "$HOLDER_PID" 2>/dev/null
  [ -n "${NETNS:-}" ] && ip netns del "$NETNS" 2>/dev/null
  [ -n "${WORK:-}" ] && [ -z "${SETNS_KEEP:-}" ] && rm -rf "$WORK"
  WORK=
  return 0
}
trap 'cleanup' EXIT
