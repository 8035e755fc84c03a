#!/bin/sh
# The exact-count test in tracepoint mode (see counts.sh).
exec "$(dirname "$0")/counts.sh" tracepoint
