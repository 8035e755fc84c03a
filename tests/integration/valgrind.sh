#!/bin/bash
# setns-collectd - tests/integration/valgrind.sh
#
# collectd with the plugin just built under valgrind's memcheck: attach,
# a short flood of joins with notifications on (grouped, rate-limited,
# turned into notifications with their /proc lookups), then SIGTERM and
# the plugin's shutdown. valgrind must see no invalid access and no leak
# definitely lost; the counts must still be exact. valgrind 3.19 knows
# bpf(2) but for two commands it only warns about and passes through
# (28, BPF_LINK_CREATE, and 35, BPF_PROG_BIND_MAP: they write no memory of
# ours), and it misreads two of libbpf's exchanges with the kernel:
# valgrind.supp names them, and nothing of setns.so's own. The ring buffer
# is plain mmap'd memory. SETNS_VALGRIND_OPTS adds options
# (--gen-suppressions=all).

. "$(dirname "$0")/lib.sh"

require_root
require valgrind
JOINS=20000
REPORTS=$(mktemp -d /tmp/setns-valgrind.XXXXXX) && chmod 755 "$REPORTS"
rm_reports() { [ -n "${SETNS_KEEP:-}" ] || rm -rf "$REPORTS"; }
AT_CLEANUP+=(rm_reports)
COLLECTD_WRAPPER="valgrind --error-exitcode=99 --leak-check=full \
--show-leak-kinds=definite --errors-for-leak-kinds=definite --num-callers=30 \
--suppressions=$SRCDIR/tests/integration/valgrind.supp --log-file=$REPORTS/memcheck.%p \
${SETNS_VALGRIND_OPTS:-}"

start_attached "MaxNotificationsPerInterval 200
$WITH_RETURNS"
snapshot before
"$GEN" --comm vg-flood net $JOINS || fail "setns-gen"
wait_reads 2
snapshot after
expect_delta operations-net $JOINS

echo "SIGTERM, and valgrind's verdict:"
kill -TERM "$COLLECTD_PID"
wait "$COLLECTD_PID"
rc=$? COLLECTD_PID=
expect_unloaded
log=$(ls "$REPORTS"/memcheck.* 2>/dev/null | head -1)
[ -s "$log" ] || fail "valgrind wrote no log"
grep -E '^==[0-9]+== (ERROR SUMMARY|   definitely lost|   indirectly lost)' "$log" | sed 's/^==[0-9]*== */  /'
if grep -qE 'Invalid (read|write|free)|uninitialised|definitely lost in|Syscall param' "$log"; then
  bad "valgrind found errors:"
  grep -E -A25 'Invalid (read|write|free)|uninitialised|definitely lost in|Syscall param' "$log" |
    sed 's/^==[0-9]*== */    /' | head -120
fi
grep -E 'unhandled|not implemented|unsupported' "$log" | sed 's/^--[0-9]*-- */  valgrind: /' | sort -u | head
expect "exit status" "$rc" 0
finish "$JOINS joins counted exactly under memcheck; shutdown clean, no invalid access or definite leak"
