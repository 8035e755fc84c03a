# shellcheck shell=bash
# setns-collectd - tests/integration/lib.sh
#
# What the integration tests, the kernel matrix, scripts/demo and bench/run
# say about collectd: compose its config, start the real daemon with the
# plugin just built, wait for the plugin's verdict, read what it wrote
# through the csv plugin (StoreRates false: the raw counters), check deltas
# and notifications, record each failed check and report them at the end.
# Outside `make check` the directories default to this checkout and to
# scripts/common.sh's build directory.
#
# Exit codes follow automake: 0 pass, 1 fail, 77 skip (with "SKIP: why").

set -u
SRCDIR=${SETNS_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
BUILDDIR=${SETNS_BUILDDIR:-${SETNS_BUILD_DIR:-$SRCDIR/_build}}
GEN=$BUILDDIR/tests/setns-gen
HOST='setns-test'
INTERVAL=1
T=$(mktemp -d /tmp/setns-it.XXXXXX) && chmod 755 "$T"
WORK=$T/collectd
COLLECTD_PID='' PLUGINDIR='' KIDS=() AT_CLEANUP=() FAILURES=() NOTE_SEL=()
declare -gA SNAP=()

# The default activities and returns. setns-gen joins the namespaces it
# is in: a host process's return, quiet by default, which the tests that
# read the notifications of its joins must see.
WITH_RETURNS='Activity "exec" "enter" "escape" "lateral" "return"'

# skip WHY: the test cannot run here (WHY names the evidence); never after
# a check has failed, which stays a failure.
skip() {
  [ ${#FAILURES[@]} = 0 ] ||
    fail "a skip after ${#FAILURES[@]} failed checks ($*): $(printf '%s; ' "${FAILURES[@]}")"
  echo "SKIP: $*"
  exit 77
}
pass() { echo "PASS: $*"; exit 0; }
# fail WHY: the test fails now. In a subshell ($(...)), whose output is
# someone's value, it says so on stderr too and leaves a mark that finish
# and cleanup turn into the test's failure.
fail() {
  echo "FAIL: $*"
  if [ "$BASH_SUBSHELL" -gt 0 ]; then
    echo "FAIL: $*" >&2
    echo "$*" >> "$T/failed-in-subshell"
    exit 1
  fi
  sed 's/^/  log: /' "$WORK/collectd.log" 2>/dev/null | tail -20
  exit 1
}
# bad WHAT: a failed check; the test goes on and finish reports it.
bad() { echo "  FAILED: $*"; FAILURES+=("$*"); }
# expect WHAT GOT WANT
expect() { if [ "$2" = "$3" ]; then echo "  $1: $3"; else bad "$1: got \"$2\", want \"$3\""; fi; }
# finish MESSAGE: passes with MESSAGE unless a check failed.
finish() {
  [ ! -s "$T/failed-in-subshell" ] || FAILURES+=("$(paste -sd';' "$T/failed-in-subshell")")
  [ ${#FAILURES[@]} = 0 ] || fail "${#FAILURES[@]} failed: $(printf '%s; ' "${FAILURES[@]}")"
  pass "$*"
}

require_root() {
  [ "$(id -u)" = 0 ] || skip "loading BPF programs needs root"
  require collectd
  [ -f "$BUILDDIR/.libs/setns.so" ] || fail "plugin not built: $BUILDDIR/.libs/setns.so"
}
require() { local t; for t; do command -v "$t" >/dev/null || fail "$t not installed"; done; }

# block NAME [ARG...]: one piece of collectd.conf, written for $dir.
block() {
  case $1 in
    csv) printf '%s\n' 'LoadPlugin csv' '<Plugin csv>' "  DataDir \"$dir/csv\"" \
      '  StoreRates false' '</Plugin>' ;;
    load) echo 'LoadPlugin load' ;;
    notify_json) # every notification as a JSON line, meta data included
      printf '%s\n' '<LoadPlugin python>' '  Globals true' '</LoadPlugin>' '<Plugin python>' \
        "  ModulePath \"$SRCDIR/tests/integration\"" '  Import "notify_json"' \
        '  <Module notify_json>' "    File \"$dir/notifications.json\"" '  </Module>' '</Plugin>' ;;
    graphite) # PORT STORE-RATES
      printf '%s\n' 'LoadPlugin write_graphite' '<Plugin write_graphite>' '  <Node "carbon">' \
        '    Host "127.0.0.1"' "    Port \"$2\"" '    Protocol "tcp"' "    StoreRates $3" \
        '    EscapeCharacter "_"' '    SeparateInstances false' '    AlwaysAppendDS false' \
        '  </Node>' '</Plugin>' ;;
    network) # Server|Listen PORT
      printf '%s\n' 'LoadPlugin network' '<Plugin network>' "  $2 \"127.0.0.1\" \"$3\"" '</Plugin>' ;;
    write_log) printf '%s\n' 'LoadPlugin write_log' '<Plugin write_log>' '  Format "Graphite"' '</Plugin>' ;;
    write_http) # URL: notifications only, in Alertmanager's alert format
      printf '%s\n' 'LoadPlugin write_http' '<Plugin write_http>' '  <Node "alertmanager">' \
        "    URL \"$2\"" '    Format "JSON"' '    Metrics false' '    Notifications true' \
        '    LogHttpError true' '  </Node>' '</Plugin>' ;;
    log_logstash) # FILE
      printf '%s\n' 'LoadPlugin log_logstash' '<Plugin log_logstash>' '  LogLevel err' \
        "  File \"$2\"" '</Plugin>' ;;
    syslog) # every notification to /dev/log (LogLevel filters them too)
      printf '%s\n' 'LoadPlugin syslog' '<Plugin syslog>' '  LogLevel notice' \
        '  NotifyLevel "OKAY"' '</Plugin>' ;;
    notification_exec) # USER PROGRAM
      printf '%s\n' 'LoadPlugin exec' '<Plugin exec>' "  NotificationExec \"$2\" \"$3\"" \
        '</Plugin>' ;;
    include) cat "$2" ;; # FILE
    *) fail "no config block $1" ;;
  esac
}

# collectd_conf DIR SETNS-LINES|- [BLOCK...]: DIR/collectd.conf for host
# $HOST reading every $INTERVAL s, logging to DIR/collectd.log, with the
# blocks (words: "graphite 2003 true") and, unless -, the setns plugin;
# the plugins it loads are copied to DIR/plugins, from collectd's own
# PluginDir, asked of collectd only now: scripts/demo sources this file
# before it has installed collectd.
collectd_conf() {
  local dir=$1 setns=$2 b p
  shift 2
  PLUGINDIR=${PLUGINDIR:-$(collectd -h 2>/dev/null | sed -n 's/^ *Plugin directory  *//p')}
  [ -d "$PLUGINDIR" ] || fail "collectd's plugin directory not found (collectd -h: \"${PLUGINDIR}\")"
  mkdir -p "$dir/plugins"
  {
    printf '%s\n' "Hostname \"$HOST\"" 'FQDNLookup false' "Interval $INTERVAL" \
      "BaseDir \"$dir\"" "PIDFile \"$dir/collectd.pid\"" "PluginDir \"$dir/plugins\"" \
      'TypesDB "/usr/share/collectd/types.db"' 'LoadPlugin logfile' '<Plugin logfile>' \
      '  LogLevel info' "  File \"$dir/collectd.log\"" '  Timestamp true' \
      '  PrintSeverity true' '</Plugin>'
    for b in "$@"; do block $b; done
    [ "$setns" = - ] || printf 'LoadPlugin setns\n<Plugin setns>\n%s\n</Plugin>\n' "$setns"
  } > "$dir/collectd.conf"
  for p in $(sed -nE 's/^<?LoadPlugin ([a-z_]+)>?$/\1/p' "$dir/collectd.conf"); do
    if [ "$p" = setns ]; then cp "$BUILDDIR/.libs/setns.so" "$dir/plugins/"
    else cp "$PLUGINDIR/$p.so" "$dir/plugins/"; fi
  done
}

# start_collectd SETNS-LINES|- [BLOCK...]: collectd in the foreground on a
# fresh $WORK with the csv and load plugins besides; COLLECTD_WRAPPER, if
# set, is the command that runs it.
start_collectd() {
  stop_collectd
  rm -rf "$WORK"
  collectd_conf "$WORK" "$1" csv load "${@:2}"
  # an unprivileged collectd writes its log and values there too
  [ -z "${COLLECTD_WRAPPER:-}" ] || chmod 777 "$WORK"
  COLLECTD_T0=$(date +%s%N)
  # the python consumer is imported from the source tree: leave it clean
  PYTHONDONTWRITEBYTECODE=1 ${COLLECTD_WRAPPER:-} collectd -f -C "$WORK/collectd.conf" \
    > "$WORK/stdout" 2>&1 &
  COLLECTD_PID=$!
}

# start_attached SETNS-LINES [BLOCK...]: start_collectd, then the plugin
# attached and its first values written.
start_attached() {
  start_collectd "$@"
  wait_attach || fail "plugin did not attach: $DETAIL"
  wait_reads 1
}

# stop_collectd: SIGTERM, and SIGCONT for a collectd a test stopped; one
# that has not exited within 60 s is killed, and the test fails.
stop_collectd() {
  local i
  [ -n "$COLLECTD_PID" ] || return 0
  kill -TERM "$COLLECTD_PID" 2>/dev/null
  kill -CONT "$COLLECTD_PID" 2>/dev/null
  for ((i = 0; i < 600; i++)); do
    kill -0 "$COLLECTD_PID" 2>/dev/null || break
    [ "$(awk '{ print $3 }' "/proc/$COLLECTD_PID/stat" 2>/dev/null)" = Z ] && break
    sleep 0.1
  done
  if kill -0 "$COLLECTD_PID" 2>/dev/null &&
    [ "$(awk '{ print $3 }' "/proc/$COLLECTD_PID/stat" 2>/dev/null)" != Z ]; then
    kill -KILL "$COLLECTD_PID" 2>/dev/null
    bad "collectd did not exit within 60 s of SIGTERM"
  fi
  wait "$COLLECTD_PID" 2>/dev/null
  COLLECTD_PID=
}

# wait_log REGEX [SECONDS]: true once the log has a matching line.
# Every 10 ms at first, then every 0.2 s: on a slow machine (a
# kernel under qemu's TCG, where loading the programs takes seconds) the
# polling itself would take the CPU collectd needs.
wait_log() {
  local i=0 end=$((SECONDS + ${2:-30}))
  while :; do
    grep -Eq -- "$1" "$WORK/collectd.log" 2>/dev/null && return 0
    kill -0 "$COLLECTD_PID" 2>/dev/null || return 1
    [ "$SECONDS" -lt "$end" ] || return 1
    if ((i++ < 20)); then sleep 0.01; else sleep 0.2; fi
  done
}

# kernel_lacks MODE DETAIL: why this kernel cannot offer MODE,
# independently of the plugin; empty if it should. fentry has no cheaper
# witness than the kernel's own refusal, at load, or at attach (ENOTSUPP:
# arm64 before Linux 6.4).
kernel_lacks() {
  case "$1:$2" in
    kprobe:*) [ -e /sys/bus/event_source/devices/kprobe ] || echo "kernel has no kprobes (CONFIG_KPROBES)" ;;
    fentry:*"fexit load refused"* | fentry:*"attach failed: not supported by this kernel"*) echo "$2" ;;
    tracepoint:*) [ -e /sys/kernel/tracing/events/syscalls/sys_exit_setns ] ||
      [ -e /sys/kernel/debug/tracing/events/syscalls/sys_exit_setns ] ||
      echo "no syscalls:sys_exit_setns tracepoint" ;;
  esac
}

# wait_attach: the plugin's verdict. True if it attached, with the mode in
# DETAIL; else DETAIL says why not. Under SETNS_TEST_COMPAT the plugin must
# also have taken the old kernels' event path.
wait_attach() {
  local log=$WORK/collectd.log
  wait_log 'setns plugin: (attached in|.*cannot attach|no attach mode|loading BPF|the kernel)' 60 ||
    fail "collectd gave no attach verdict (stdout: $(cat "$WORK/stdout"))"
  # SETNS_EXPECT_LIB: a library COLLECTD_WRAPPER preloads (the sanitizers'
  # runtime), which must be inside collectd, or its silence proves nothing
  if [ -n "${SETNS_EXPECT_LIB:-}" ] &&
    ! grep -qF "$SETNS_EXPECT_LIB" "/proc/$COLLECTD_PID/maps" 2>/dev/null; then
    fail "$SETNS_EXPECT_LIB is not loaded in collectd ($COLLECTD_PID)"
  fi
  DETAIL=$(sed -nE 's/.*setns plugin: attached in ([a-z_]+) mode.*/\1/p' "$log" | head -1)
  if [ -n "${SETNS_TEST_COMPAT:-}" ] && ! grep -q 'setns plugin: SETNS_TEST_COMPAT' "$log"; then
    DETAIL="SETNS_TEST_COMPAT is set but the plugin did not take the old kernels' path"
    return 1
  fi
  [ -n "$DETAIL" ] && return 0
  DETAIL=$(grep -m1 '\[error\] setns plugin:' "$log" | sed 's/.*setns plugin: //')
  return 1
}

# The csv plugin starts a file a day (TYPE-INSTANCE-YYYY-MM-DD, each with
# a header line): a test running over midnight finds its values in two.
# csv_glob PLUGIN [TYPE-INSTANCE]: CSV_FILES, every day's file of that
# value (of every value of PLUGIN if none is named), in date order; false
# if there is none yet.
csv_glob() {
  local dir=$WORK/csv/$HOST/$1
  if [ $# -gt 1 ]; then CSV_FILES=("$dir/$2"-????-??-??); else CSV_FILES=("$dir/"*-????-??-??); fi
  [ -e "${CSV_FILES[0]}" ]
}
# csv_file PLUGIN TYPE-INSTANCE: its newest file, empty before any.
csv_file() { ! csv_glob "$1" "$2" || echo "${CSV_FILES[-1]}"; }
# csv_values PLUGIN TYPE-INSTANCE: every line written, oldest first, of
# every day's file, without their headers.
csv_values() { ! csv_glob "$1" "$2" || grep -ah '^[0-9]' "${CSV_FILES[@]}"; }
# csv_lines PLUGIN TYPE-INSTANCE: how many reads wrote it.
csv_lines() { csv_values "$1" "$2" | wc -l; }
# csv_last PLUGIN [TYPE-INSTANCE]: "TYPE-INSTANCE VALUE" for it (for each
# value of PLUGIN), VALUE the whole part of the last one written. One awk
# for all of them: under qemu's TCG each program started takes most of a
# second.
csv_last() {
  csv_glob "$@" || return 0
  awk -F, 'FNR == 1 { t = FILENAME; sub(/.*\//, "", t); sub(/-....-..-..$/, "", t) }
    /^[0-9]/ { split($2, v, "."); last[t] = v[1] }
    END { for (t in last) print t, last[t] }' "${CSV_FILES[@]}"
}

# value PLUGIN TYPE-INSTANCE: the last value written, 0 before any.
value() {
  local t v
  read -r t v <<< "$(csv_last "$1" "$2")"
  echo "${v:-0}"
}

# wait_csv [PLUGIN TYPE-INSTANCE]: until collectd has written that value
# (setns operations-net unless named).
wait_csv() {
  local i
  for ((i = 0; ; i++)); do
    csv_glob "${1:-setns}" "${2:-operations-net}" && return 0
    ((i < 100)) || fail "no ${1:-setns} values written"
    kill -0 "$COLLECTD_PID" 2>/dev/null || fail "collectd exited"
    sleep 0.1
  done
}

# wait_reads N [PLUGIN TYPE-INSTANCE]: until N more reads have been
# written (of setns operations-net unless named).
wait_reads() {
  local p=${2:-setns} t=${3:-operations-net} n i
  wait_csv "$p" "$t"
  n=$(($(csv_lines "$p" "$t") + $1))
  for ((i = 0; i < ($1 + 5) * 10 * INTERVAL; i++)); do
    [ "$(csv_lines "$p" "$t")" -ge "$n" ] && { sleep 0.3; return 0; }
    sleep 0.1
  done
  fail "collectd stopped dispatching $p values"
}

# snapshot NAME: remembers every value of the setns plugin now, as NAME.
# (Through a file, not <(...): the kernel matrix's guests have no /dev/fd.)
snapshot() {
  local t v
  csv_last setns > "$T/snapshot"
  while read -r t v; do SNAP[$1:$t]=$v; done < "$T/snapshot"
}
before() { echo "${SNAP[before:$1]:-0}"; }
# delta TYPE-INSTANCE: its growth from snapshot "before" to "after".
delta() { echo $((${SNAP[after:$1]:-0} - ${SNAP[before:$1]:-0})); }
expect_delta() { expect "$1" "$(delta "$1")" "$2"; }

# notes count|get|check ...: queries the notifications (see notes.py).
notes() { /usr/bin/python3 "$SRCDIR/tests/integration/notes.py" "$WORK/notifications.json" "$@"; }
# note FIELD [FILTER...]: FIELD of the last notification matching the
# filters, or the selection of the last wait_note.
note() {
  local f=$1; shift
  if [ $# = 0 ]; then notes get "$f" "${NOTE_SEL[@]}"; else notes get "$f" "$@"; fi
}

# wait_note FILTER...: waits up to 10 s for a notification matching them,
# and selects it for note and expect_note.
wait_note() {
  local i
  NOTE_SEL=("$@")
  for ((i = 0; i < 100; i++)); do
    [ "$(notes count "$@")" -ge 1 ] && return 0
    sleep 0.1
  done
  bad "no notification with $*"
}

# expect_note FIELD=WANT...: fields of the selected notification, read in
# one python run.
expect_note() {
  local a got i=0
  notes fields "${@%%=*}" -- "${NOTE_SEL[@]}" > "$T/fields"
  mapfile -d '' got < "$T/fields"
  for a; do expect "${a%%=*}" "${got[i++]:-}" "${a#*=}"; done
}

# expect_note_like FIELD ERE: a field of the selected notification matches
# ERE, for a value the test cannot know (the pid of a runtime's child).
expect_note_like() {
  local got
  got=$(note "$1")
  if [[ $got =~ $2 ]]; then echo "  $1: $got"; else bad "$1: got \"$got\", want /$2/"; fi
}

# The plugin's program names as the kernel keeps them (15 characters; with
# BTF, bpftool shows the whole name): the function after each SEC("...")
# line of the BPF source.
our_progs() {
  awk '/^SEC\("/ { sec = 1; next }
    sec && /^int / { sub(/^int (BPF_[A-Z_]+\()?/, ""); sub(/[^A-Za-z0-9_].*/, "")
                     print substr($0, 1, 15); sec = 0 }' "$SRCDIR"/bpf/*.bpf.c
}

# bpftool_show prog|map: what bpftool lists; a missing or failing bpftool
# fails the test (it would read as "nothing loaded").
bpftool_show() {
  local out
  require bpftool
  out=$(bpftool "$1" show 2>&1) || fail "bpftool $1 show failed: $(echo $out | cut -c1-200)"
  printf '%s\n' "$out"
}

# run_cnt PROGRAM: its runs so far, as the kernel counts them (while BPF
# statistics are on: ReportOverhead true); 0 when it is not loaded.
# awk rather than python's json: under qemu's TCG, python's start alone
# takes a second, and the paused entry hook must be checked within one
# interval.
run_cnt() {
  local out
  out=$(bpftool_show prog) || exit 1
  awk -v name="$1" '{ for (i = 1; i < NF; i++) if ($i == "name") m = $(i + 1) == name }
    m { for (i = 1; i < NF; i++) if ($i == "run_cnt") n += $(i + 1) }
    END { print n + 0 }' <<< "$out"
}

# After collectd exits, none of the plugin's programs or maps (all named
# setns_*) may remain. The kernel frees them after an RCU grace period.
expect_unloaded() {
  local progs left i p m
  progs=$(our_progs)
  [ -n "$progs" ] || fail "no BPF program names found in $SRCDIR/bpf"
  for ((i = 0; i < 100; i++)); do
    p=$(bpftool_show prog) && m=$(bpftool_show map) || exit 1
    left=$({ sed -nE 's/.* name ([^ ]+) .*/\1/p' <<< "$p" | cut -c1-15 | grep -Fx "$progs"
             sed -nE 's/.* name (setns_[^ ]+) .*/\1/p' <<< "$m"; })
    [ -z "$left" ] && return 0
    sleep 0.1
  done
  bad "left loaded 10 s after collectd exited: $(echo $left)"
}

# hold_cmd CMD...: runs CMD sleep 60 in the background; HOLDER_PID is CMD,
# TARGET the sleep, its child, in whatever CMD made. release ends both.
hold_cmd() {
  "$@" sleep 60 &
  HOLDER_PID=$! TARGET=
  for _ in $(seq 50); do
    TARGET=$(pgrep -P "$HOLDER_PID" -x sleep) && return 0
    sleep 0.1
  done
  fail "$* did not start its sleep"
}
# hold UNSHARE-OPTION...: the sleep in new namespaces, dying with unshare.
hold() { hold_cmd unshare "$@" --fork --kill-child; }
# SIGKILL: unshare --fork blocks SIGTERM while it waits for the sleep,
# which --kill-child then ends.
release() {
  [ -z "${HOLDER_PID:-}" ] || { kill -KILL "$HOLDER_PID"; wait "$HOLDER_PID"; } 2>/dev/null
  HOLDER_PID=
}

# fake_container: a container without a runtime, for the tests: a cgroup
# v2 named as docker names its scopes (system.slice/docker-<ID>.scope),
# removed at cleanup; in_container CMD... becomes CMD in it, in new
# namespaces (it execs: call it in a subshell).
fake_container() {
  require unshare nsenter
  local cg2
  cg2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
  [ -n "$cg2" ] || skip "no cgroup v2 hierarchy mounted"
  ID=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
  SCOPE="$cg2/system.slice/docker-$ID.scope"
  [ -d "$cg2/system.slice" ] || SLICE_MADE=$cg2/system.slice
  AT_CLEANUP+=(rm_scope)
  mkdir -p "$SCOPE" || fail "cannot create a cgroup under $cg2"
  # The host is PID 1's namespaces; where /proc/1/ns is hidden (a
  # sandbox), the plugin takes collectd's own, which are this shell's.
  HOST_PID=1
  readlink /proc/1/ns/net > /dev/null 2>&1 || HOST_PID=$$
}
# rm_cgroup DIR: removes it once its processes have gone (up to 5 s); one
# left behind is a failure.
rm_cgroup() {
  [ -d "$1" ] || return 0
  for _ in $(seq 50); do rmdir "$1" 2>/dev/null && return 0; sleep 0.1; done
  bad "cgroup $1 left behind: $(paste -sd' ' "$1/cgroup.procs" 2>/dev/null)"
}
# The container's scope, and the slice fake_container made for it.
rm_scope() {
  rm_cgroup "$SCOPE"
  [ -z "${SLICE_MADE:-}" ] || rm_cgroup "$SLICE_MADE"
}
in_container() {
  exec sh -c 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"' sh "$SCOPE" \
    unshare --pid --mount --uts --ipc --net --fork --kill-child "$@"
}

# free_ports tcp|udp N: N distinct ports free on 127.0.0.1 (held together).
free_ports() {
  /usr/bin/python3 -c 'import socket, sys
kind = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
socks = [socket.socket(socket.AF_INET, kind) for _ in range(int(sys.argv[2]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])' "$@"
}

# exec_and_escape: the cheapest exec and escape, without a runtime. In
# the fake container (fake_container, then hold_cmd in_container), a copy
# of nsenter named runc joins its process's ipc, uts and net namespaces,
# as a runtime's exec does (the caller's pid in EXEC_PID); then a process
# of the container joins the host's uts and net namespaces: an escape.
exec_and_escape() {
  cp "$(command -v nsenter)" "$T/runc"
  "$T/runc" -t "$TARGET" -i -u -n sh -c 'echo $$ > "$1"' sh "$T/exec.pid" ||
    fail "the exec by a program named runc"
  EXEC_PID=$(cat "$T/exec.pid")
  escape_to_host || fail "nsenter from the container"
}

# escape_to_host [NSENTER]: from the fake container (in_container), NSENTER
# (nsenter by default) joins the host's uts and net namespaces; its pid as
# the host sees it in ESCAPE_PID, from the process itself: the shell that
# becomes NSENTER reads its own stat (the container's /proc is still the
# host's, and a builtin's redirection opens it as the shell).
escape_to_host() {
  (in_container sh -c 'read -r pid rest < /proc/self/stat && echo "$pid" > "$0" && exec "$@"' \
    "$T/escape.pid" \
    "${1:-nsenter}" --net=/proc/$HOST_PID/ns/net --uts=/proc/$HOST_PID/ns/uts true) || return 1
  ESCAPE_PID=$(cat "$T/escape.pid")
}

# syslog_listen FILE: a syslog daemon for the test (syslog.py), appending
# what it receives to FILE, its pid in LISTENER. On /dev/log where the
# machine has none; where it has one, on a socket of the test's
# ($LOGSOCK), which with_dev_log binds over /dev/log for its command
# alone, and the machine's daemon sees nothing.
syslog_listen() {
  LOGSOCK=/dev/log
  if [ -e /dev/log ] || [ -L /dev/log ]; then LOGSOCK=$T/log.sock; fi
  /usr/bin/python3 "$SRCDIR/tests/integration/syslog.py" "$LOGSOCK" "$1" &
  LISTENER=$!
  KIDS+=("$LISTENER")
  for _ in $(seq 50); do [ -S "$LOGSOCK" ] && return 0; sleep 0.1; done
  fail "the syslog listener did not bind $LOGSOCK"
}

# with_dev_log COMMAND...: execs COMMAND with syslog_listen's socket as its
# /dev/log (in a mount namespace of its own where that is not /dev/log).
with_dev_log() {
  [ "$LOGSOCK" = /dev/log ] && exec "$@"
  exec unshare --mount --propagation private \
    sh -c 'mount --bind "$1" /dev/log && shift && exec "$@"' sh "$LOGSOCK" "$@"
}

# Runs on exit: collectd, the children, the functions in AT_CLEANUP, the
# namespace NETNS, the files (kept with SETNS_KEEP=1).
cleanup() {
  local rc=$? k n=${#FAILURES[@]}
  stop_collectd
  release
  for k in "${KIDS[@]}"; do kill "$k" 2>/dev/null && wait "$k" 2>/dev/null; done
  for k in "${AT_CLEANUP[@]}"; do "$k"; done
  [ -z "${NETNS:-}" ] || ip netns del "$NETNS" 2>/dev/null
  # a failure in a subshell the test went on past, or in the cleanup
  if [ "$rc" = 0 ] && [ -s "$T/failed-in-subshell" ]; then
    echo "FAIL: in a subshell: $(paste -sd';' "$T/failed-in-subshell")"
    rc=1
  fi
  if [ "$rc" = 0 ] && [ ${#FAILURES[@]} -gt "$n" ]; then
    echo "FAIL: cleaning up: $(printf '%s; ' "${FAILURES[@]:n}")"
    rc=1
  fi
  [ -n "${SETNS_KEEP:-}" ] || rm -rf "$T"
  exit "$rc"
}
trap cleanup EXIT
# tests/timeout ends a hung test with SIGTERM: clean up all the same.
trap 'echo "  terminated (SIGTERM)"; exit 143' TERM INT
