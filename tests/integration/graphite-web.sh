#!/bin/bash
# setns-collectd - tests/integration/graphite-web.sh
#
# contrib/setns_graphite_events.py against Debian's graphite-web: collectd
# sends the counts with write_graphite (StoreRates true) to a private
# carbon-cache, and the module posts each notification to graphite-web's
# events API. graphite-web runs on loopback with its own settings, sqlite
# database and storage under $T (never /etc/graphite or /var/lib/graphite),
# reading carbon's whisper files.
#
# For 32 s a process named "load" (not notified: Process "load",
# IgnoreSelected true) joins net, uts, ipc and mnt every second, in
# changing numbers; at 8 s a program named runc joins a container (an
# exec), at 16 s a process with a hostile name joins it too (an enter),
# at 24 s the container joins the host's namespaces (an escape). The
# events read back must be those three with exact what, tags and data;
# the joins per second that the render API returns must add up to the
# joins made; and the PNG it renders (joins per second by type, the events
# as vertical lines) is docs/graphite.md's picture: SETNS_SAVE_PNG=FILE
# keeps it.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carbon.sh"

GWEB=$T/gweb
# django ...: graphite-web's management commands with the private
# settings (an array, not a function: in the background, $! is django's).
django=(env PYTHONPATH="$GWEB" GRAPHITE_SETTINGS_MODULE=setns_test_graphite
  DJANGO_SETTINGS_MODULE=graphite.settings PYTHONDONTWRITEBYTECODE=1
  /usr/bin/python3 -m django)
# get PATH: graphite-web's answer, on stdout.
get() {
  /usr/bin/python3 -c 'import sys, urllib.request
sys.stdout.buffer.write(urllib.request.urlopen(sys.argv[1], timeout=60).read())' \
    "http://127.0.0.1:$GWEB_PORT$1"
}

# gweb_start: graphite-web on 127.0.0.1:GWEB_PORT, its database migrated.
gweb_start() {
  local pid i
  [ -f /usr/lib/python3/dist-packages/graphite/wsgi.py ] || fail "graphite-web not installed"
  mkdir -p "$GWEB/storage/log"
  cat > "$GWEB/setns_test_graphite.py" <<PY
SECRET_KEY = 'setns-test'
GRAPHITE_ROOT = '/usr/share/graphite-web'
STATIC_ROOT = '/usr/share/graphite-web/static'
CONF_DIR = '$GWEB'
STORAGE_DIR = '$GWEB/storage'
INDEX_FILE = '$GWEB/storage/index'
LOG_DIR = '$GWEB/storage/log'
LOG_ROTATION = False
WHISPER_DIR = '$CARBON/whisper/'
CARBONLINK_HOSTS = ['127.0.0.1:$(sed -n 's/^CACHE_QUERY_PORT = //p' "$CARBON/carbon.conf")']
TIME_ZONE = 'UTC'
PY
  "${django[@]}" migrate --noinput -v0 > "$GWEB/migrate.log" 2>&1 ||
    fail "graphite-web: migrate: $(tail -3 "$GWEB/migrate.log")"
  for _ in 1 2 3; do
    GWEB_PORT=$(free_ports tcp 1)
    "${django[@]}" runserver --noreload "127.0.0.1:$GWEB_PORT" > "$GWEB/server.log" 2>&1 &
    pid=$!
    KIDS+=("$pid")
    for ((i = 0; i < 300; i++)); do
      sleep 0.1
      kill -0 "$pid" 2>/dev/null || break
      get /events/get_data > /dev/null 2>&1 && return 0
    done
    grep -q 'already in use' "$GWEB/server.log" || break
  done
  fail "graphite-web did not start: $(tail -5 "$GWEB/server.log")"
}

# events: what, tags and data of each event tagged setns, one per line,
# tab-separated, oldest first.
events() {
  get "/events/get_data?tags=setns&from=$T0&until=now" | /usr/bin/python3 -c '
import json, sys
for e in json.load(sys.stdin):
    print("\t".join([e["what"], " ".join(e["tags"]), e["data"]]))'
}

require_root
require unshare nsenter
fake_container
carbon_start
gweb_start
cat > "$T/events.conf" <<CONF
<Plugin python>
  ModulePath "$SRCDIR/contrib"
  Import "setns_graphite_events"
  <Module setns_graphite_events>
    URL "http://127.0.0.1:$GWEB_PORT/events/"
    Timeout 2
  </Module>
</Plugin>
CONF
mkdir -p "$T/bin" && cp "$GEN" "$T/bin/runc"
hold_cmd in_container

T0=$(date +%s)
start_attached 'Process "load"
  IgnoreSelected true' notify_json "graphite $CARBON_PORT true" "include $T/events.conf"
declare -A made=([net]=0 [uts]=0 [ipc]=0 [mnt]=0)
for ((i = 0; i < 32; i++)); do
  n=(net $((2 + i % 4)) uts $((1 + i / 8)) ipc $((i % 8 < 4 ? 3 : 0)) mnt 1)
  "$GEN" --comm load "${n[@]}" || fail "setns-gen load"
  for ((k = 0; k < 8; k += 2)); do made[${n[k]}]=$((made[${n[k]}] + n[k + 1])); done
  case $i in
    8) "$T/bin/runc" --target "$TARGET" pidfd 1 &
       exec_pid=$!
       wait $! || fail "the exec" ;;
    16) "$GEN" --comm $'ev il,"x\x01' --target "$TARGET" pidfd 1 &
        enter_pid=$!
        wait $! || fail "the enter" ;;
    24) escape_to_host || fail "the escape" ;;
  esac
  case $i in 8 | 16) for t in net uts ipc; do made[$t]=$((made[$t] + 1)); done ;;
    24) for t in net uts; do made[$t]=$((made[$t] + 1)); done ;; esac
  sleep 1
done
wait_reads 2
T1=$(date +%s)
stop_collectd # the module posts what it holds; write_graphite sends too
carbon_flush

echo "events:"
wait_note comm=runc pid="$exec_pid"
exec_msg=$(note message)
wait_note comm=$'ev il,"x\\x01' pid="$enter_pid"
enter_msg=$(note message)
escape_pid=$ESCAPE_PID
wait_note activity=escape pid="$escape_pid"
id=${ID:0:12}
events > "$T/events" || fail "GET /events/get_data"
expect "events" "$(wc -l < "$T/events")" 3
{
  IFS=$'\t' read -r what tags data
  expect "exec what" "$what" "setns exec: runc[$exec_pid] joined net,uts,ipc"
  expect "exec tags" "$tags" "setns exec host_to_container net $id"
  expect "exec data" "$data" "$exec_msg"
  IFS=$'\t' read -r what tags data
  expect "enter what" "$what" "setns enter: ev il,\"x\\x01[$enter_pid] joined net,uts,ipc"
  expect "enter tags" "$tags" "setns enter host_to_container net $id"
  expect "enter data" "$data" "$enter_msg"
  IFS=$'\t' read -r what tags data
  expect "escape what" "$what" "setns escape: nsenter[$escape_pid] joined uts,net"
  expect "escape tags" "$tags" "setns escape container_to_host uts $id"
  expect "escape data" "$data" \
    "escape: nsenter[$escape_pid] uid 0 joined uts,net namespaces of the host from container $id"
} < "$T/events"

echo "joins per second, through the render API:"
for t in net uts ipc mnt; do
  got=$(get "/render?target=setns-test.setns.operations-$t&from=$T0&until=$T1&format=json" |
    /usr/bin/python3 -c 'import json, sys
print(round(sum(v for s in json.load(sys.stdin) for v, _ in s["datapoints"] if v is not None)))')
  expect "operations-$t" "$got" "${made[$t]}"
done

echo "the picture:"
rates='aliasSub(maximumAbove(setns-test.setns.operations-*,0),"^.*-","")'
ev() { echo "color(alias(drawAsInfinite(events(\"setns\",\"$1\")),\"$1\"),\"$2\")"; }
look='width=800&height=360&bgcolor=white&fgcolor=black&lineWidth=2&vtitle=joins/s'
look+='&majorGridLineColor=999999&minorGridLineColor=dddddd&colorList=1f77b4,2ca02c,ff7f0e,9467bd'
look+='&title=setns%20joins%20per%20second%20by%20namespace%20type,%20and%20events'
get "/render?$look&from=$T0&until=$T1&format=png&target=$rates&target=$(ev exec 555555)&target=$(ev enter aaaaaa)&target=$(ev escape ff0000)" \
  > "$T/graphite-events.png" || fail "GET /render"
png=$(/usr/bin/python3 - "$T/graphite-events.png" <<'PY'
import os, struct, sys
head = open(sys.argv[1], "rb").read(24)
ok = head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
w, h = struct.unpack(">II", head[16:24]) if ok else (0, 0)
size = os.path.getsize(sys.argv[1])
print("PNG %dx%d, %s" % (w, h, "plausible" if 10000 < size < 1000000 else "%d bytes" % size))
PY
)
expect "render" "$png" "PNG 800x360, plausible"
[ -z "${SETNS_SAVE_PNG:-}" ] || cp "$T/graphite-events.png" "$SETNS_SAVE_PNG"
finish "3 events posted to graphite-web with exact what, tags and data; the joins rendered exact ($DETAIL mode)"
