#!/bin/bash
# setns-collectd - tests/integration/fleet.sh
#
# An agent collectd with the setns plugin sends over collectd's network
# plugin to an aggregator collectd, which writes to a private carbon: the
# agent's joins arrive under the agent's host name, exactly, and so do its
# notifications (without meta data: the network protocol has none).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carbon.sh"

require_root
command -v carbon-cache >/dev/null || fail "carbon-cache not installed (graphite-carbon)"

CARBON_DIR=$(mktemp -d /tmp/setns-carbon.XXXXXX)
AGG=$(mktemp -d /tmp/setns-agg.XXXXXX)
stop_aggregator() {
  [ -n "${AGG_PID:-}" ] && kill "$AGG_PID" 2>/dev/null && wait "$AGG_PID" 2>/dev/null
  AGG_PID=
}
trap 'stop_aggregator; carbon_stop; rm -rf "$CARBON_DIR" "$AGG"; cleanup' EXIT
carbon_start "$CARBON_DIR" || fail "carbon-cache did not start"
NET_PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

mkdir "$AGG/plugins"
for p in logfile network write_graphite; do cp "$(collectd_plugindir)/$p.so" "$AGG/plugins/"; done
cat > "$AGG/collectd.conf" <<CONF
Hostname "aggregator"
FQDNLookup false
Interval 1
BaseDir "$AGG"
PIDFile "$AGG/collectd.pid"
PluginDir "$AGG/plugins"
TypesDB "/usr/share/collectd/types.db"
LoadPlugin logfile
<Plugin logfile>
  LogLevel info
  File "$AGG/collectd.log"
</Plugin>
LoadPlugin network
<Plugin network>
  Listen "127.0.0.1" "$NET_PORT"
</Plugin>
LoadPlugin write_graphite
<Plugin write_graphite>
  <Node "carbon">
    Host "127.0.0.1"
    Port "$CARBON_LINE_PORT"
    StoreRates false
    EscapeCharacter "_"
  </Node>
</Plugin>
CONF
collectd -f -C "$AGG/collectd.conf" > "$AGG/stdout" 2>&1 &
AGG_PID=$!

EXTRA_PLUGINS=network
start_collectd 'AttachMode "auto"' "LoadPlugin network
<Plugin network>
  Server \"127.0.0.1\" \"$NET_PORT\"
</Plugin>"
read -r verdict detail <<<"$(wait_attach)"
[ "$verdict" = attached ] || fail "agent's plugin did not attach: $detail"
kill -0 "$AGG_PID" 2>/dev/null || fail "aggregator did not start: $(cat "$AGG/stdout")"

wait_reads 2
snapshot before
"$GEN" net 6 cgroup 2 einval 3 || fail "generator"
wait_reads 3
stop_collectd
sleep 1
stop_aggregator
carbon_flush || fail "carbon did not flush"

bad=
for w in "operations-net|6" "operations-cgroup|2" "errors-einval|3"; do
  path=setns-test.setns.${w%|*} n=${w#*|}
  whisper_file "$CARBON_DIR" "$path" >/dev/null || { echo "  missing: $path"; bad=1; continue; }
  # the last total, less the agent's total before the joins (its csv)
  got=$(( $(whisper_last "$CARBON_DIR" "$path" | cut -d. -f1) - $(snapshot_value before "${w%|*}") ))
  echo "  $path: $got (want $n)"
  [ "$got" = "$n" ] || bad=1
done
[ -z "$bad" ] || fail "the aggregator's carbon differs from the agent's joins"
grep -q 'Notification: severity = WARNING, host = setns-test, plugin = setns, type = operations, type_instance = net, message = setns-gen\[[0-9]*\] uid 0 joined net namespace' "$AGG/collectd.log" ||
  fail "the agent's notifications did not reach the aggregator"
[ -z "$(ls "$CARBON_DIR"/*/aggregator/setns 2>/dev/null)" ] || fail "setns values under the aggregator's name"
pass "agent -> network -> aggregator -> carbon: exact, under the agent's name; notifications too"
