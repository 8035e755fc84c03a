#!/bin/bash
# setns-collectd - tests/integration/bad-config.sh
#
# Each bad <Plugin setns> block: collectd keeps running (its load plugin
# keeps writing values), the plugin logs exactly one ERROR naming the key
# and the value, and no setns value is dispatched.

. "$(dirname "$0")/lib.sh"

require_root

# block | text the ERROR must contain
cases=(
  'AttachMode "uprobe"|AttachMode "uprobe"'
  'AttachMode 3|AttachMode 3'
  'AttachMode true|AttachMode true'
  'AttachMode "auto" "kprobe"|AttachMode "auto" "kprobe"'
  'Attachmode "fentry"
   Colour "blue"|Colour "blue": unknown key'
)

for c in "${cases[@]}"; do
  block=${c%%|*} want=${c#*|}
  echo "case: $(tr -s ' \n' ' ' <<<"$block")"
  start_collectd "$block"
  # the load plugin's values prove the daemon is up and reading
  for _ in $(seq 100); do
    [ -n "$(csv_file load load)" ] && [ "$(wc -l < "$(csv_file load load)")" -ge 2 ] && break
    sleep 0.1
  done
  kill -0 "$COLLECTD_PID" 2>/dev/null || fail "collectd exited on: $block"
  [ -n "$(csv_file load load)" ] || fail "collectd stopped reading on: $block"
  errors=$(grep -c '\[error\] setns plugin:' "$WORK/collectd.log")
  [ "$errors" = 1 ] || fail "want one ERROR line from the plugin, got $errors"
  grep '\[error\] setns plugin:' "$WORK/collectd.log" | grep -qF -- "$want" ||
    fail "the ERROR does not name '$want'"
  grep '\[error\] setns plugin:' "$WORK/collectd.log" | sed 's/^/  /'
  [ -z "$(ls "$WORK/csv/$HOST/setns" 2>/dev/null)" ] || fail "values dispatched despite bad config"
  cleanup
done
pass "${#cases[@]} bad configs: one ERROR each, collectd kept running"
