#!/bin/sh
# The exact-count test in kprobe mode (see counts.sh).
exec "$(dirname "$0")/counts.sh" kprobe
