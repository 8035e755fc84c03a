/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/modes.c
 *
 * The attach modes by name (see modes.h).
 */
#include "modes.h"

#include <stddef.h>
#include <strings.h>

const char *const attach_mode_names[MODE_COUNT + 1] = {
    [MODE_FENTRY] = "fentry",
    [MODE_KPROBE] = "kprobe",
    [MODE_TRACEPOINT] = "tracepoint",
    [MODE_RAW_TRACEPOINT] = "raw_tracepoint",
    [MODE_AUTO] = "auto",
};

int attach_mode_parse(const char *name, enum attach_mode *mode) {
  for (size_t i = 0; i <= MODE_COUNT; i++) {
    if (strcasecmp(name, attach_mode_names[i]) == 0) {
      *mode = (enum attach_mode)i;
      return 0;
    }
  }
  return -1;
}
