/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/overhead.h
 *
 * What the plugin tells about itself: the attach mode it chose (a value
 * every interval and one notification), and with ReportOverhead what its
 * BPF programs cost.
 */
#ifndef SETNS_OVERHEAD_H
#define SETNS_OVERHEAD_H

#include "attach.h"
#include "settings.h"

#include <stdbool.h>

/* With ReportOverhead: turns the kernel's BPF run-time statistics on for
 * as long as the plugin runs (they cost every BPF program on the host a
 * little); 0, or -1 after one ERROR. */
int overhead_open(const struct settings *s);
/* Turns them off again, unless something else holds them on. */
void overhead_close(void);

/* From the read callback: gauge-attach_mode every time, the mode
 * notification (with why it was chosen, attach_reason) the first time,
 * and with ReportOverhead the programs' run time and runs; runs_missed
 * always. */
void overhead_dispatch(enum attach_mode mode, const char *reason,
                       const struct prog_totals *t);

#endif
