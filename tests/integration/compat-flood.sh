#!/bin/bash
# flood.sh on the event path of kernels before 5.8 (perf buffer, probe reads,
# entry hooks hashed by thread id): SETNS_TEST_COMPAT makes the plugin take
# it on this kernel, and wait_attach checks that it did.
export SETNS_TEST_COMPAT=1
exec bash "$(dirname "$0")/flood.sh"
