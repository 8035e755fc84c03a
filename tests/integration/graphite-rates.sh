#!/bin/sh
# write_graphite into carbon with StoreRates true (see graphite.sh).
exec "$(dirname "$0")/graphite.sh" rates
