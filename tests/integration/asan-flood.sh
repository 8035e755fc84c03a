#!/bin/bash
# flood.sh with setns.so under ASan and UBSan (see sanitizers.sh).
. "$(dirname "$0")/sanitizers.sh"
asan_run flood.sh
