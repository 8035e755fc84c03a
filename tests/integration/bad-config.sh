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
  'Activity "exec" "bogus" "enter"|setns plugin: Activity "bogus": expected one of'
  'Attachmode "fentry"
   Colour "blue"|Colour "blue": unknown key'
)

for c in "${cases[@]}"; do
  block=${c%%|*} want=${c#*|}
  echo "case: $(tr -s ' \n' ' ' <<<"$block")"
  start_collectd "$block"
  wait_reads 1 load load # the daemon is up and reading
  errors=$(grep '\[error\] setns plugin:' "$WORK/collectd.log")
  sed 's/^/  /' <<<"$errors"
  expect "ERROR lines" "$(grep -c . <<<"$errors")" 1
  grep -qF -- "$want" <<<"$errors" || bad "the ERROR does not name '$want'"
  [ -z "$(ls "$WORK/csv/$HOST/setns" 2>/dev/null)" ] || bad "values dispatched despite bad config"
done
finish "${#cases[@]} bad configs: one ERROR each, collectd kept running"
