#!/bin/bash
# setns-collectd - tests/integration/graphite.sh rates|counters
#
# collectd + setns + write_graphite -> a private carbon-cache on loopback:
# after a known number of joins, the whisper files for <host>.setns.* exist
# and their datapoints add up to exactly the joins made. With StoreRates
# false the counter grows by the count; with StoreRates true the rates
# times the interval sum to it (the interval is 2 s on a 1 s whisper
# resolution, so no two datapoints share a slot).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/carbon.sh"

KIND=${1:?rates or counters}
require_root
command -v carbon-cache >/dev/null || fail "carbon-cache not installed (graphite-carbon)"
/usr/bin/python3 -c 'import whisper' 2>/dev/null || fail "python3-whisper not installed"

CARBON_DIR=$(mktemp -d /tmp/setns-carbon.XXXXXX)
trap 'carbon_stop; rm -rf "$CARBON_DIR"; cleanup' EXIT
carbon_start "$CARBON_DIR" || fail "carbon-cache did not start"

store=false; [ "$KIND" = rates ] && store=true
INTERVAL=2 EXTRA_PLUGINS=write_graphite
start_collectd 'AttachMode "auto"' "LoadPlugin write_graphite
<Plugin write_graphite>
  <Node \"carbon\">
    Host \"127.0.0.1\"
    Port \"$CARBON_LINE_PORT\"
    Protocol \"tcp\"
    StoreRates $store
    EscapeCharacter \"_\"
    SeparateInstances false
    AlwaysAppendDS false
  </Node>
</Plugin>"
read -r verdict detail <<<"$(wait_attach)"
[ "$verdict" = attached ] || fail "plugin did not attach: $detail"

wait_reads 2
snapshot before
"$GEN" net 4 uts 3 ipc 2 pidfd 1 ebadf 2 || fail "generator"
wait_reads 2
stop_collectd # write_graphite sends what it holds on shutdown
carbon_flush || fail "carbon did not flush"

# type-instance | joins made. As rates, a value's first datapoint has no
# rate (collectd needs two), so an errno first seen mid-run is checked as a
# counter only; the operations are dispatched from the first read.
want=("operations-net|5" "operations-uts|4" "operations-ipc|3" "operations-mnt|0")
[ "$KIND" = counters ] && want+=("errors-ebadf|2")
bad=
for w in "${want[@]}"; do
  path=setns-test.setns.${w%|*} n=${w#*|}
  whisper_file "$CARBON_DIR" "$path" >/dev/null || { echo "  missing: $path"; bad=1; continue; }
  if [ "$KIND" = rates ]; then
    got=$(whisper_values "$CARBON_DIR" "$path" |
          awk -v i="$INTERVAL" '{s += $2 * i} END {printf "%.0f", s}')
  else # the last total, less the total before the joins (read from csv)
    got=$(( $(whisper_last "$CARBON_DIR" "$path" | cut -d. -f1) - $(snapshot_value before "${w%|*}") ))
  fi
  echo "  $path: $got (want $n)"
  [ "$got" = "$n" ] || bad=1
done
for t in mnt pid user cgroup time; do
  whisper_file "$CARBON_DIR" "setns-test.setns.operations-$t" >/dev/null ||
    { echo "  missing: operations-$t"; bad=1; }
done
[ -z "$bad" ] || fail "carbon's data differs from the joins made"
pass "write_graphite ($KIND) into carbon: exact"
