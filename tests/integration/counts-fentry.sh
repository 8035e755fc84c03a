#!/bin/sh
# The exact-count test in fentry mode (see counts.sh).
exec "$(dirname "$0")/counts.sh" fentry
