/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/counts.h
 *
 * The program's per-CPU counts, summed and dispatched every interval:
 * "operations" per namespace type, "errors" per errno, and what the event
 * path could not deliver.
 */
#ifndef SETNS_COUNTS_H
#define SETNS_COUNTS_H

#include "setns.h"

#include <stdbool.h>
#include <stdint.h>

struct bpf_map;

/* Totals since load, as the last read found them. */
extern uint64_t counts[SETNS_SLOTS_REPORTED];
extern uint64_t errnos[SETNS_ERRNO_SLOTS];

/* The number of possible CPUs, and a buffer for one per-CPU value. */
int counts_init(void);
int counts_ncpus(void);
void counts_free(void);

/* Sums the per-CPU maps into counts and errnos. */
int counts_read(const struct bpf_map *counts_map,
                const struct bpf_map *errnos_map);
/* Whether the errnos read add up to fewer failures than counted: a read
 * that raced a failing call, whose errno is counted after its failure. */
bool errnos_behind(void);
/* Every namespace type from the first read, so graphs start at zero; an
 * errno only once it has happened, since most never will. */
void counts_dispatch(void);
/* events_lost (the program's count) and notifications_suppressed: the
 * kernel's share plus what the plugin counted (the rate limit). */
void counts_dispatch_events(uint64_t suppressed);
/* With ExecSessions: the sessions not followed (the kernel's and the
 * plugin's dropped), processes left out of one, session events lost. */
void counts_dispatch_sessions(uint64_t dropped);

#endif
