#!/bin/sh
# The exact-count test in raw_tracepoint mode (see counts.sh).
exec "$(dirname "$0")/counts.sh" raw_tracepoint
