#!/bin/bash
# setns-collectd - tests/integration/consumers.sh
#
# What collectd's own consumers of notifications receive of an exec and
# an escape (exec_and_escape in lib.sh), all fed by one collectd:
# log_logstash (a JSON line per notification: the names, the severity,
# the message, no meta data), logfile and syslog (one line: the same, no
# meta data) and exec's NotificationExec (header lines, every meta key,
# the message). The python plugin's JSON lines are the reference for the meta
# data.
#
# syslog writes to /dev/log. Where nothing listens there, the test's own
# listener does, for the test's duration; where a syslog daemon does,
# collectd runs in a mount namespace of its own with the listener bound
# over /dev/log, and the daemon sees nothing.

. "$(dirname "$0")/lib.sh"

require_root
require unshare mount
fake_container

syslog_listen "$T/syslog"
COLLECTD_WRAPPER=with_dev_log

# NotificationExec runs its program as a user other than root.
mkdir -m 777 "$T/exec"
printf '#!/bin/sh\ncat > "%s/$$"\n' "$T/exec" > "$T/notification-exec"
chmod 755 "$T/notification-exec"

start_attached '' notify_json "log_logstash $T/logstash.json" syslog \
  "notification_exec nobody $T/notification-exec"
hold_cmd in_container
exec_and_escape
wait_note activity=escape container_id="$ID" pid="$ESCAPE_PID"
wait_note activity=exec pid="$EXEC_PID"
owner=$(note target_pid)
EXEC_MSG="exec: runc[$EXEC_PID] uid 0 joined ipc,uts,net namespaces of $(cat "/proc/$owner/comm")[$owner] (container ${ID:0:12}) from the host; runc, asked by $(cat /proc/$$/comm)[$$]"
ESCAPE_MSG="escape: nsenter[$ESCAPE_PID] uid 0 joined uts,net namespaces of the host from container ${ID:0:12}"
sleep 1 # the exec plugin's children, in threads of their own

echo "log_logstash: the names, the severity and the message:"
logstash() {
  /usr/bin/python3 -c 'import json, sys
for line in open(sys.argv[1]):
    n = json.loads(line)
    if n.get("plugin_instance") == sys.argv[2]:
        t = n.pop("@timestamp")
        print(json.dumps(n, sort_keys=True), "@timestamp" if t.endswith("Z") else t)' \
    "$T/logstash.json" "$1"
}
expect "the exec" "$(logstash exec)" "$(/usr/bin/python3 -c 'import json, sys
print(json.dumps({"host": sys.argv[1], "level": "info", "message": sys.argv[2], "plugin": "setns",
  "plugin_instance": "exec", "severity": "warning", "type": "operations", "type_instance": "ipc"},
  sort_keys=True), "@timestamp")' "$HOST" "$EXEC_MSG")"
expect "the escape" "$(logstash escape)" "$(/usr/bin/python3 -c 'import json, sys
print(json.dumps({"host": sys.argv[1], "level": "info", "message": sys.argv[2], "plugin": "setns",
  "plugin_instance": "escape", "severity": "failure", "type": "operations", "type_instance": "uts"},
  sort_keys=True), "@timestamp")' "$HOST" "$ESCAPE_MSG")"

echo "logfile: one line each, at info whatever the severity:"
logfile() { grep -F "plugin_instance = $1," "$WORK/collectd.log" | sed -E 's/^\[[0-9: -]{19}\] //'; }
expect "the exec" "$(logfile exec)" \
  "[info] Notification: severity = WARNING, host = $HOST, plugin = setns, plugin_instance = exec, type = operations, type_instance = ipc, message = $EXEC_MSG"
expect "the escape" "$(logfile escape)" \
  "[info] Notification: severity = FAILURE, host = $HOST, plugin = setns, plugin_instance = escape, type = operations, type_instance = uts, message = $ESCAPE_MSG"

echo "syslog: one line each, at warning and err, facility daemon:"
syslog() { grep -F "plugin_instance = $1," "$T/syslog" | sed -E 's/^(<[0-9]+>)[A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} /\1/'; }
expect "the exec" "$(syslog exec)" \
  "<28>collectd[$COLLECTD_PID]: Notification: severity = WARNING, host = $HOST, plugin = setns, plugin_instance = exec, type = operations, type_instance = ipc, message = $EXEC_MSG"
expect "the escape" "$(syslog escape)" \
  "<27>collectd[$COLLECTD_PID]: Notification: severity = FAILURE, host = $HOST, plugin = setns, plugin_instance = escape, type = operations, type_instance = uts, message = $ESCAPE_MSG"

echo "NotificationExec: the names, every meta key, the message:"
# what the exec plugin wrote to the program's stdin, as the python plugin's
# record says it should be
exec_input() {
  local f
  f=$(grep -lx "PluginInstance: $1" "$T/exec"/* | head -1)
  [ -n "$f" ] && sed -E 's/^Time: [0-9]+\.[0-9]{3}$/Time: T/' "$f"
}
exec_want() {
  /usr/bin/python3 -c 'import json, sys
n = [json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["meta"].get("activity") == sys.argv[2]][-1]
sev = {1: "FAILURE", 2: "WARNING", 4: "OKAY"}[n["severity"]]
print("Severity: %s\nTime: T\nHost: %s\nPlugin: %s\nPluginInstance: %s\nType: %s\nTypeInstance: %s"
      % (sev, n["host"], n["plugin"], n["plugin_instance"], n["type"], n["type_instance"]))
for k, v in n["meta"].items():
    print("%s: %s" % (k, v))
print("\n" + n["message"])' "$WORK/notifications.json" "$1"
}
expect "programs run for the exec and the escape" \
  "$(grep -lxE 'PluginInstance: (exec|escape)' "$T/exec"/* | wc -l)" 2
expect "the exec" "$(exec_input exec)" "$(exec_want exec)"
expect "the escape" "$(exec_input escape)" "$(exec_want escape)"
expect "the exec's pid" "$(exec_input exec | grep '^pid: ')" "pid: $EXEC_PID"
expect "the exec's message" "$(exec_input exec | tail -1)" "$EXEC_MSG"
expect "the escape's container" "$(exec_input escape | grep '^container_id: ')" "container_id: $ID"
expect "the escape's message" "$(exec_input escape | tail -1)" "$ESCAPE_MSG"

stop_collectd
finish "an exec and an escape through log_logstash, logfile, syslog and NotificationExec ($DETAIL mode)"
