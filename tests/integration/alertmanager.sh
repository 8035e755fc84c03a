#!/bin/bash
# setns-collectd - tests/integration/alertmanager.sh
#
# collectd's write_http posts notifications to Alertmanager (Debian's
# prometheus-alertmanager, on loopback, with its own config and storage)
# as alerts. One exec and one escape (see exec_and_escape in lib.sh): read
# back through Alertmanager's API, each is one alert with the activity as
# a label (setns="exec", setns="escape"), the severity as another, and
# every meta key as an annotation; the route of docs/alertmanager.md's
# recipe sends the escape to one webhook receiver and the exec to the
# other, and the plugin's okay notification of its attach mode to none.
# Alertmanager knows an alert by its labels: a second escape like the
# first updates that alert and is not sent again. A third, from a cgroup and an
# executable with paths of about 3 KiB of '"', updates it too: the plugin
# cuts them to fit write_http's 4 KiB.

. "$(dirname "$0")/lib.sh"

require_root
require prometheus-alertmanager curl
fake_container
read -r AM_PORT HOOK_PORT <<<"$(free_ports tcp 2)"
AM=http://127.0.0.1:$AM_PORT
mkdir -p "$T/am" "$T/hooks"

# The recipe's route, its webhooks pointed at hooks.py.
cat > "$T/am/alertmanager.yml" <<YML
route:
  receiver: joins
  group_by: [alertname, instance, setns]
  group_wait: 1s
  group_interval: 1s
  routes:
    - matchers: ['severity="OKAY"']
      receiver: none
    - matchers: ['setns="escape"']
      receiver: escapes
receivers:
  - name: none
  - name: escapes
    webhook_configs: [{url: "http://127.0.0.1:$HOOK_PORT/escapes"}]
  - name: joins
    webhook_configs: [{url: "http://127.0.0.1:$HOOK_PORT/joins"}]
YML
/usr/bin/python3 "$SRCDIR/tests/integration/hooks.py" "$HOOK_PORT" "$T/hooks" &
KIDS+=($!)
prometheus-alertmanager --config.file="$T/am/alertmanager.yml" \
  --storage.path="$T/am/data" --web.listen-address="127.0.0.1:$AM_PORT" \
  --cluster.listen-address= > "$T/am/log" 2>&1 &
KIDS+=($!)
for _ in $(seq 100); do
  [ "$(curl -s "$AM/-/ready")" = OK ] && break
  sleep 0.1
done
[ "$(curl -s "$AM/-/ready")" = OK ] || fail "Alertmanager not ready: $(tail -3 "$T/am/log")"

start_attached '' notify_json "write_http $AM/api/v2/alerts"
hold_cmd in_container
exec_and_escape
wait_note activity=escape container_id="$ID" pid="$ESCAPE_PID"

alerts() { /usr/bin/python3 "$SRCDIR/tests/integration/alerts.py" "$@"; }
# wait_alerts SOURCE N FILTER...: until SOURCE has N alerts matching.
wait_alerts() {
  local i
  for ((i = 0; i < 100; i++)); do
    [ "$(alerts "$1" count "${@:3}")" = "$2" ] && return 0
    sleep 0.1
  done
  bad "$1: $(alerts "$1" count "${@:3}") alerts with ${*:3}, want $2"
}
# expect_alert SOURCE FILTER -- FIELD=WANT...
expect_alert() {
  local src=$1 filter=$2 a
  shift 3
  for a; do expect "${a%%=*}" "$(alerts "$src" get "${a%%=*}" "$filter")" "${a#*=}"; done
}

echo "Alertmanager holds one alert for each, the meta data as annotations:"
wait_alerts "$AM/api/v2/alerts" 1 label.setns=exec target_container_id="$ID"
wait_alerts "$AM/api/v2/alerts" 1 label.setns=escape container_id="$ID"
owner=$(alerts "$AM/api/v2/alerts" get target_pid label.setns=exec)
expect_alert "$AM/api/v2/alerts" label.setns=exec -- \
  "labels=alertname=collectd_setns_operations instance=$HOST service=collectd setns=exec severity=WARNING type=ipc" \
  receivers=joins state=active pid="$EXEC_PID" comm=runc runtime=runc activity=exec \
  direction=host_to_container joined=ipc,uts,net target_container_id="$ID" \
  "summary=exec: runc[$EXEC_PID] uid 0 joined ipc,uts,net namespaces of $(cat "/proc/$owner/comm")[$owner] (container ${ID:0:12}) from the host; runc, asked by $(cat /proc/$$/comm)[$$]"
expect_alert "$AM/api/v2/alerts" label.setns=escape -- \
  "labels=alertname=collectd_setns_operations instance=$HOST service=collectd setns=escape severity=FAILURE type=uts" \
  receivers=escapes state=active pid="$ESCAPE_PID" comm=nsenter activity=escape \
  direction=container_to_host joined=uts,net container_id="$ID" \
  cgroup="/system.slice/docker-$ID.scope" \
  "summary=escape: nsenter[$ESCAPE_PID] uid 0 joined uts,net namespaces of the host from container ${ID:0:12}"
# and every meta key, as the python plugin saw it
for act in exec escape; do
  expect "$act: meta keys that differ from the python plugin's" "$(/usr/bin/python3 -c '
import json, sys, urllib.request
note = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["meta"].get("activity") == sys.argv[3]][-1]
alert = [a for a in json.load(urllib.request.urlopen(sys.argv[2])) if a["labels"].get("setns") == sys.argv[3]][-1]
print(len(note["meta"]), "keys,", [k for k, v in note["meta"].items() if alert["annotations"].get(k) != str(v)])' \
    "$WORK/notifications.json" "$AM/api/v2/alerts" "$act")" "33 keys, []"
done

echo "the route: the escape to escapes, the exec to joins, the attach mode to none:"
wait_alerts "$T/hooks/escapes.json" 1 container_id="$ID"
wait_alerts "$T/hooks/joins.json" 1 target_container_id="$ID"
expect_alert "$T/hooks/escapes.json" container_id="$ID" -- \
  label.setns=escape receiver=escapes state=firing pid="$ESCAPE_PID"
expect_alert "$T/hooks/joins.json" target_container_id="$ID" -- \
  label.setns=exec receiver=joins state=firing pid="$EXEC_PID"
expect "alerts at okay (the attach mode), held for no receiver" \
  "$(alerts "$AM/api/v2/alerts" get receivers label.severity=OKAY)" none
expect "escapes delivered to joins" "$(alerts "$T/hooks/joins.json" count label.setns=escape)" 0

echo "a second escape like the first: the same alert, its annotations the second's, not sent again:"
# escape_again NSENTER: another escape from the container's cgroup
# $SCOPE by NSENTER; its pid, once it is notified.
escape_again() {
  escape_to_host "$1" || { echo "  FAILED: $1 from the container" >&2; exit 1; }
  for _ in $(seq 100); do
    [ "$(notes count activity=escape container_id="$ID" pid="$ESCAPE_PID")" -gt 0 ] && break
    sleep 0.1
  done
  echo "$ESCAPE_PID"
}
SECOND_PID=$(escape_again nsenter)
[ -n "$SECOND_PID" ] && [ "$SECOND_PID" != "$ESCAPE_PID" ] || bad "no second escape notified"
wait_alerts "$AM/api/v2/alerts" 1 label.setns=escape pid="$SECOND_PID"
sleep 3 # three group_intervals
expect "escape alerts held" "$(alerts "$AM/api/v2/alerts" count label.setns=escape)" 1
expect "deliveries to escapes" "$(alerts "$T/hooks/escapes.json" count)" 1

echo "an escape whose meta data is as long as its caller can make it, still an alert:"
# Its cgroup nested to about 3 KiB and its executable's path as long, of
# '"', which JSON doubles, and its comm too: whole, they would pass
# write_http's 4 KiB and Alertmanager would refuse the alert.
q=$(printf '"%.0s' $(seq 200)) name=$(printf '"%.0s' $(seq 15))
DEEP=$SCOPE LONG=$T/long
for _ in $(seq 14); do DEEP=$DEEP/$q LONG=$LONG/$q; done
# as much as was made, deepest first, before the scope itself
rm_deep() {
  local d=$DEEP
  while [ "$d" != "$SCOPE" ]; do
    [ ! -d "$d" ] || rmdir "$d" || bad "cgroup left behind: ${d:0:80}..."
    d=${d%/*}
  done
}
AT_CLEANUP=(rm_deep "${AT_CLEANUP[@]}")
mkdir -p "$DEEP" && mkdir -p "$LONG" && cp "$(command -v nsenter)" "$LONG/$name" ||
  fail "could not make the long paths"
LONG_PID=$(SCOPE=$DEEP escape_again "$LONG/$name")
[ -n "$LONG_PID" ] && [ "$LONG_PID" != "$SECOND_PID" ] || bad "no escape notified from the long paths"
wait_alerts "$AM/api/v2/alerts" 1 label.setns=escape pid="$LONG_PID"
expect_alert "$AM/api/v2/alerts" label.setns=escape -- comm="$name" container_id="$ID"
exe=$(alerts "$AM/api/v2/alerts" get exe label.setns=escape)
cgroup=$(alerts "$AM/api/v2/alerts" get cgroup label.setns=escape)
# the path, when /proc still showed it, else the kernel's name for it
case $exe in "$name" | ...*/"$name") echo "  exe: ${#exe} bytes, its end" ;; *) bad "exe: $exe" ;; esac
expect "cgroup: its end" "${cgroup:0:3} ... ${cgroup: -201}" "... ... /$q"
[ ${#exe} -le 163 ] && [ ${#cgroup} -le 259 ] || bad "exe, cgroup: ${#exe}, ${#cgroup} bytes"
grep -q 'write_http.*Error' "$WORK/collectd.log" && bad "write_http: $(grep -m1 'write_http.*Error' "$WORK/collectd.log")"

stop_collectd
finish "an exec and an escape: two alerts, routed apart on setns=\"escape\", and an escape of long names ($DETAIL mode)"
