#!/bin/sh
# The exact-count test in auto mode (see counts.sh).
exec "$(dirname "$0")/counts.sh" auto
