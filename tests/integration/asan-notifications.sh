#!/bin/bash
# notifications.sh with setns.so under ASan and UBSan (see sanitizers.sh).
. "$(dirname "$0")/sanitizers.sh"
asan_run notifications.sh
