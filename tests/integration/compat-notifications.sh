#!/bin/bash
# setns-collectd - tests/integration/compat-notifications.sh
#
# notifications.sh on the event path of kernels before 5.8 (perf buffer, a pointer
# read per bpf_probe_read_kernel, a hash by thread id for the entry hooks),
# which this kernel does not need: SETNS_TEST_COMPAT makes the plugin take
# it, and wait_attach checks that it did.
export SETNS_TEST_COMPAT=1
exec bash "$(dirname "$0")/notifications.sh"
