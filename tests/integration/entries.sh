#!/bin/bash
# setns-collectd - tests/integration/entries.sh
#
# Before Linux 5.12 (forced here with SETNS_TEST_COMPAT) the entry hook
# keeps each thread's namespaces in a hash by thread id, 10240 entries.
# A call that sends no event (a type not notified) must still free its
# entry: 10300 threads each making one such call, then a notified join
# whose namespace before the call must still be known.

. "$(dirname "$0")/lib.sh"

export SETNS_TEST_COMPAT=1
require_root
start_attached "NamespaceType \"uts\"
$WITH_RETURNS" notify_json

python3 - <<'PY' || fail "the threads could not make their joins"
import ctypes, os, threading
libc = ctypes.CDLL(None, use_errno=True)
fd = os.open("/proc/self/ns/net", os.O_RDONLY)
failed = []
def join():
    if libc.setns(fd, 0x40000000) != 0:  # CLONE_NEWNET: not notified
        failed.append(ctypes.get_errno())
for _ in range(10300):
    t = threading.Thread(target=join)
    t.start()
    t.join()
raise SystemExit(1 if failed else 0)
PY
"$GEN" --comm after-threads uts 1 || fail "generator could not make its join"
wait_note comm=after-threads
expect_note joined=uts ns_inode_old="$(stat -L -c %i /proc/self/ns/uts)"
stop_collectd
finish "10300 threads' unnotified joins left the entry hash room ($DETAIL mode)"
