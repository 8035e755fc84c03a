/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/procs.h
 *
 * ReportByProcess: "operations" per process, under plugin_instance = comm
 * made safe for a Graphite path.
 */
#ifndef SETNS_PROCS_H
#define SETNS_PROCS_H

struct bpf_map;

/* Room for max instances (MaxProcesses); the rest are "other". */
int procs_alloc(int max);
void procs_free(void);
/* The kernel's overflow row, created before the program can need it. */
int procs_overflow_create(const struct bpf_map *map, int ncpus);
/* Sums every kernel row over CPUs into its instance. */
int procs_read(const struct bpf_map *map, int ncpus);
/* A process's types once non-zero, from then on. */
void procs_dispatch(void);

#endif
