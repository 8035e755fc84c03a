# shellcheck shell=bash
# setns-collectd - tests/integration/carbon.sh
#
# A private carbon-cache (Debian's graphite-carbon) on 127.0.0.1 under
# $T/carbon, for the tests of what write_graphite sends, and the check of
# the whisper files it writes. Source it after lib.sh; never touches
# /etc/carbon or /var/lib/graphite (carbon takes CONF_DIR from --config).
#
# Two buffers stand between a collectd read and a whisper file:
# write_graphite holds lines until its buffer fills or collectd exits; and
# carbon's writer drains its cache to disk, sleeps 1 s, and on SIGTERM ends
# without a last drain. So: stop collectd, carbon_flush, then read.
# write_graphite stamps a line with collectd's time rounded to the second,
# and whisper keeps the last point of each 1 s slot (one hour of them).

CARBON=$T/carbon

# Rate limits at inf: the defaults (and Debian's 50 creates/min) would
# delay or drop the first points of new metrics. Self-metrics and tags off:
# nothing in the tree but what tests send.
carbon_conf() {
  mkdir -p "$CARBON/whisper" "$CARBON/lists" "$CARBON/log" "$CARBON/run"
  cat > "$CARBON/carbon.conf" <<CONF
[cache]
STORAGE_DIR = $CARBON/
LOCAL_DATA_DIR = $CARBON/whisper/
WHITELISTS_DIR = $CARBON/lists/
LOG_DIR = $CARBON/log/
PID_DIR = $CARBON/run/
USER =
MAX_CACHE_SIZE = inf
MAX_UPDATES_PER_SECOND = inf
MAX_CREATES_PER_MINUTE = inf
LINE_RECEIVER_INTERFACE = 127.0.0.1
LINE_RECEIVER_PORT = $CARBON_PORT
PICKLE_RECEIVER_INTERFACE = 127.0.0.1
PICKLE_RECEIVER_PORT = $1
CACHE_QUERY_INTERFACE = 127.0.0.1
CACHE_QUERY_PORT = $2
ENABLE_UDP_LISTENER = False
ENABLE_MANHOLE = False
ENABLE_TAGS = False
CARBON_METRIC_INTERVAL = 0
LOG_UPDATES = True
WHISPER_FALLOCATE_CREATE = False
CONF
  printf '[all]\npattern = .*\nretentions = 1s:1h\n' > "$CARBON/storage-schemas.conf"
  printf '[all]\npattern = .*\nxFilesFactor = 0\naggregationMethod = average\n' \
    > "$CARBON/storage-aggregation.conf"
}

# carbon_start: carbon listening, its line receiver on CARBON_PORT. A port
# taken between picking and binding is the one failure worth a retry.
carbon_start() {
  local pickle query pid i p
  require carbon-cache
  /usr/bin/python3 -c 'import whisper' 2>/dev/null || fail "python3-whisper not installed"
  for _ in 1 2 3; do
    read -r CARBON_PORT pickle query <<<"$(free_ports tcp 3)"
    carbon_conf "$pickle" "$query"
    carbon-cache --config="$CARBON/carbon.conf" --nodaemon start > "$CARBON/carbon.log" 2>&1 &
    pid=$!
    KIDS+=("$pid")
    for ((i = 0; i < 300; i++)); do
      sleep 0.1
      kill -0 "$pid" 2>/dev/null || break
      for p in "$CARBON_PORT" "$pickle" "$query"; do
        (: <> "/dev/tcp/127.0.0.1/$p") 2>/dev/null || continue 2
      done
      return 0
    done
    grep -q 'Address already in use' "$CARBON/carbon.log" || break
  done
  fail "carbon-cache did not start: $(tail -5 "$CARBON/carbon.log")"
}

# carbon_flush: once carbon has gone 2.5 s without writing (it logs a
# "wrote" line per metric and rests 1 s between passes), its cache is
# empty. Only with the senders stopped.
carbon_flush() {
  local n last=-1 quiet=0 i
  for ((i = 0; i < 150; i++)); do
    n=$(grep -c '\[updates\] wrote ' "$CARBON/carbon.log")
    if [ "$n" != "$last" ]; then last=$n quiet=0; elif ((++quiet >= 25)); then return 0; fi
    sleep 0.1
  done
  fail "carbon still writing after 15 s"
}

# expect_whisper counters|rates|exists METRIC [WANT]: the joins carbon
# stored for <host>.setns.<type-instance>: as counters the last total less
# the one in snapshot "before" (csv), as rates the rates times the interval.
expect_whisper() {
  local f=$CARBON/whisper/${2//.//}.wsp got
  [ -f "$f" ] || { bad "$2: no whisper file"; return; }
  [ "$1" != exists ] || return 0
  got=$(/usr/bin/python3 - "$f" "$1" "$INTERVAL" <<'PY'
import sys, time, whisper
path, kind, interval = sys.argv[1], sys.argv[2], int(sys.argv[3])
# from 0: whisper clamps it to the start of the retention
points = [v for v in whisper.fetch(path, 0, int(time.time()) + 1)[1] if v is not None]
print(round(sum(points) * interval) if kind == "rates" else int(points[-1]))
PY
  )
  [ "$1" = rates ] || got=$((got - $(before "${2##*.}")))
  expect "$2" "$got" "$3"
}
