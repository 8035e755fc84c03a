# shellcheck shell=bash
# setns-collectd - tests/integration/carbon.sh
#
# A private carbon-cache (Debian's graphite-carbon) for tests that check what
# collectd's write_graphite plugin sends, and readers for the whisper files it
# writes. Source it; nothing runs on load.
#
#   carbon_start DIR          config, data, logs and pid all live under DIR;
#                             exports CARBON_LINE_PORT, CARBON_PICKLE_PORT,
#                             CARBON_QUERY_PORT, CARBON_PID, CARBON_DIR
#   carbon_flush              waits until carbon has written all it holds
#   carbon_stop               carbon_flush, then SIGTERM; returns once it exited
#   whisper_sum DIR METRIC    sum of all stored points of a.b.c
#   whisper_last DIR METRIC   the newest stored point
#   whisper_values DIR METRIC "timestamp value" per point, oldest first
#
# DIR for the whisper_* readers is the carbon_start DIR (or a whisper tree
# root); METRIC is the dotted graphite path, e.g. carbon-test.load.load.shortterm.
# They fail with a message when the metric has no file.
#
# Two buffers stand between a collectd read and the whisper file:
# - write_graphite holds lines until its 1428-byte buffer fills, so a few
#   metrics can take many seconds to leave; collectd sends the rest when it
#   exits, or every second with FlushInterval 1 in <LoadPlugin write_graphite>.
# - carbon keeps received points in memory; a writer thread drains them to
#   disk, then sleeps 1 s. On SIGTERM that thread ends WITHOUT a last drain,
#   so points from the final second would be lost; carbon_stop runs
#   carbon_flush first.
# So: stop collectd, then carbon_stop, then read.
#
# write_graphite stamps each line with collectd's time ROUNDED to the
# second (CDTIME_T_TO_TIME_T), and whisper keeps one point per slot, the
# last one written: two reads 1 s apart that straddle a .5 can share a slot.
#
# Never touches /etc/carbon or /var/lib/graphite: --config points at our own
# carbon.conf, and carbon takes CONF_DIR from that file's directory.

CARBON_START_TIMEOUT=${CARBON_START_TIMEOUT:-30}
CARBON_STOP_TIMEOUT=${CARBON_STOP_TIMEOUT:-30}
CARBON_FLUSH_TIMEOUT=${CARBON_FLUSH_TIMEOUT:-15}
# One-second slots for an hour: every point a test sends keeps its own slot.
CARBON_RETENTIONS=${CARBON_RETENTIONS:-1s:1h}
# The Debian interpreter, not whatever python3 is first in PATH (a pyenv one
# has no whisper module): python3-whisper installs only for it.
CARBON_PYTHON=${CARBON_PYTHON:-/usr/bin/python3}

# Prints three distinct free TCP ports on 127.0.0.1. The kernel picks them,
# all held open together so they differ; another process could still take
# one before carbon binds, which carbon_start handles by retrying.
carbon_free_ports() {
  "$CARBON_PYTHON" -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))'
}

# carbon_write_conf DIR: carbon.conf and the schema files under DIR/conf.
carbon_write_conf() {
  local d=$1
  mkdir -p "$d/conf" "$d/whisper" "$d/lists" "$d/log" "$d/run" || return 1
  # Rate limits at inf: the defaults (500 updates/s, and Debian's 50
  # creates/min) would delay or drop the first points of new metrics.
  # Self-metrics and tags off: nothing in the tree but what tests send.
  cat > "$d/conf/carbon.conf" <<CONF
[cache]
STORAGE_DIR = $d/
LOCAL_DATA_DIR = $d/whisper/
WHITELISTS_DIR = $d/lists/
LOG_DIR = $d/log/
PID_DIR = $d/run/
USER =
DATABASE = whisper
MAX_CACHE_SIZE = inf
MAX_UPDATES_PER_SECOND = inf
MAX_CREATES_PER_MINUTE = inf
LINE_RECEIVER_INTERFACE = 127.0.0.1
LINE_RECEIVER_PORT = $CARBON_LINE_PORT
ENABLE_UDP_LISTENER = False
PICKLE_RECEIVER_INTERFACE = 127.0.0.1
PICKLE_RECEIVER_PORT = $CARBON_PICKLE_PORT
CACHE_QUERY_INTERFACE = 127.0.0.1
CACHE_QUERY_PORT = $CARBON_QUERY_PORT
ENABLE_MANHOLE = False
ENABLE_TAGS = False
CARBON_METRIC_INTERVAL = 0
LOG_UPDATES = True
LOG_CREATES = True
LOG_CACHE_HITS = False
LOG_CACHE_QUEUE_SORTS = False
CACHE_WRITE_STRATEGY = sorted
WHISPER_FALLOCATE_CREATE = False
CONF
  printf '[all]\npattern = .*\nretentions = %s\n' "$CARBON_RETENTIONS" \
    > "$d/conf/storage-schemas.conf"
  # With a single archive nothing is ever aggregated; xFilesFactor 0 keeps
  # lower archives populated if CARBON_RETENTIONS adds some.
  printf '[all]\npattern = .*\nxFilesFactor = 0\naggregationMethod = average\n' \
    > "$d/conf/storage-aggregation.conf"
}

# carbon_port_open PORT: true if something accepts on 127.0.0.1:PORT.
carbon_port_open() {
  (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null
}

# carbon_wait_up: true once all three listeners accept, false if carbon
# died or the timeout passed.
carbon_wait_up() {
  local i p up
  for ((i = 0; i < CARBON_START_TIMEOUT * 10; i++)); do
    kill -0 "$CARBON_PID" 2> /dev/null || return 1
    up=1
    for p in "$CARBON_LINE_PORT" "$CARBON_PICKLE_PORT" "$CARBON_QUERY_PORT"; do
      carbon_port_open "$p" || { up=0; break; }
    done
    [ "$up" = 1 ] && return 0
    sleep 0.1
  done
  return 1
}

# carbon_launch DIR: one attempt with freshly picked ports.
carbon_launch() {
  local d=$1 ports
  ports=$(carbon_free_ports) || return 1
  read -r CARBON_LINE_PORT CARBON_PICKLE_PORT CARBON_QUERY_PORT <<< "$ports"
  export CARBON_LINE_PORT CARBON_PICKLE_PORT CARBON_QUERY_PORT
  carbon_write_conf "$d" || return 1
  # --nodaemon keeps it our child, so $! is carbon itself, wait works, and
  # its log (stdout in this mode) lands in DIR/carbon.log.
  carbon-cache --config="$d/conf/carbon.conf" --nodaemon start \
    >> "$d/carbon.log" 2>&1 &
  CARBON_PID=$!
  export CARBON_PID
  carbon_wait_up && return 0
  carbon_kill
  return 1
}

# carbon_start DIR: a private carbon-cache listening on 127.0.0.1 only.
carbon_start() {
  local d try
  [ -n "${1:-}" ] || { echo "carbon_start: no DIR given" >&2; return 2; }
  if [ -n "${CARBON_PID:-}" ] && kill -0 "$CARBON_PID" 2> /dev/null; then
    echo "carbon_start: carbon $CARBON_PID still running; carbon_stop first" >&2
    return 1
  fi
  command -v carbon-cache > /dev/null ||
    { echo "carbon_start: carbon-cache not installed (graphite-carbon)" >&2; return 1; }
  mkdir -p "$1" && d=$(cd "$1" && pwd) || return 1
  CARBON_DIR=$d
  export CARBON_DIR
  # Losing a port to another process between picking and binding is the
  # one failure worth a retry.
  for try in 1 2 3; do
    carbon_launch "$d" && return 0
    grep -q 'Address already in use' "$d/carbon.log" || break
    echo "carbon_start: a port was taken, retrying ($try)" >&2
    : > "$d/carbon.log"
  done
  echo "carbon_start: carbon-cache exited, or was not listening on" \
    "127.0.0.1:$CARBON_LINE_PORT after ${CARBON_START_TIMEOUT}s; log tail:" >&2
  tail -n 15 "$d/carbon.log" | sed 's/^/  carbon: /' >&2
  return 1
}

# carbon_flush: returns once carbon has gone 2.5 s without writing, i.e.
# its cache is empty. The writer logs a "wrote" line per metric
# (LOG_UPDATES) and rests 1 s between passes, so 2.5 s of silence means a
# whole pass found nothing. Needs the senders stopped first: with collectd
# still sending it either never goes quiet (gives up after
# CARBON_FLUSH_TIMEOUT s, returning 1) or returns between two of
# write_graphite's bursts.
carbon_flush() {
  local log="$CARBON_DIR/carbon.log" n last quiet=0 i
  last=$(grep -c '\[updates\] wrote ' "$log")
  for ((i = 0; i < CARBON_FLUSH_TIMEOUT * 10; i++)); do
    sleep 0.1
    n=$(grep -c '\[updates\] wrote ' "$log")
    if [ "$n" != "$last" ]; then
      last=$n quiet=0
    elif ((++quiet >= 25)); then
      return 0
    fi
  done
  echo "carbon_flush: carbon still writing after ${CARBON_FLUSH_TIMEOUT}s" >&2
  return 1
}

# carbon_wait_gone PID: true once PID has exited, within CARBON_STOP_TIMEOUT.
carbon_wait_gone() {
  local i
  for ((i = 0; i < CARBON_STOP_TIMEOUT * 10; i++)); do
    kill -0 "$1" 2> /dev/null || return 0
    sleep 0.1
  done
  return 1
}

# carbon_kill: SIGTERM, SIGKILL if that is ignored; then the same for any
# other carbon-cache still running on our config (only ever ours: the path
# has our unique DIR in it).
carbon_kill() {
  local pid ours=
  [ -n "${CARBON_DIR:-}" ] &&
    ours=$(pgrep -f -- "--config=$CARBON_DIR/conf/carbon.conf")
  for pid in ${CARBON_PID:-} $ours; do
    kill -TERM "$pid" 2> /dev/null
    carbon_wait_gone "$pid" && continue
    echo "carbon_stop: carbon-cache $pid ignored SIGTERM, killing it" >&2
    kill -KILL "$pid" 2> /dev/null
  done
  [ -n "${CARBON_PID:-}" ] && wait "$CARBON_PID" 2> /dev/null
  CARBON_PID=
  return 0
}

# carbon_stop: everything carbon received is on disk once this returns
# (unless carbon_flush gave up, which it reports), and carbon is gone.
carbon_stop() {
  [ -n "${CARBON_PID:-}" ] || return 0
  local rc=0
  if kill -0 "$CARBON_PID" 2> /dev/null; then
    carbon_flush || rc=1
  fi
  carbon_kill
  return "$rc"
}

# whisper_file DIR METRIC: the .wsp path of a dotted metric; fails loudly
# when it does not exist.
whisper_file() {
  local root=$1 f
  [ -d "$root/whisper" ] && root=$root/whisper
  f="$root/${2//.//}.wsp"
  [ -f "$f" ] && { echo "$f"; return 0; }
  echo "whisper: no file for metric '$2' ($f)" >&2
  return 1
}

# whisper_points DIR METRIC MODE: prints points (MODE values), their sum
# (MODE sum) or the newest one (MODE last) over the whole retention. Whole
# numbers print without ".0" so callers can compare with integers.
whisper_points() {
  local f
  f=$(whisper_file "$1" "$2") || return 1
  "$CARBON_PYTHON" - "$f" "$3" <<'PY'
import sys, time, whisper
path, mode = sys.argv[1], sys.argv[2]
num = lambda v: str(int(v)) if float(v).is_integer() else repr(v)
# from 0: whisper clamps it to the start of the longest retention (and
# reads the archive covering it: the only one with the default schema).
(start, end, step), values = whisper.fetch(path, 0, int(time.time()) + 1)
points = [(start + i * step, v) for i, v in enumerate(values) if v is not None]
if mode == "sum":
    print(num(sum(v for _, v in points)))
elif mode == "last":
    if not points:
        sys.exit("whisper: no points in %s" % path)
    print(num(points[-1][1]))
else:
    for t, v in points:
        print(t, num(v))
PY
}

whisper_sum() { whisper_points "$1" "$2" sum; }
whisper_last() { whisper_points "$1" "$2" last; }
whisper_values() { whisper_points "$1" "$2" values; }
