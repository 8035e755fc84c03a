#!/bin/sh
# write_graphite into carbon with StoreRates false (see graphite.sh).
exec "$(dirname "$0")/graphite.sh" counters
