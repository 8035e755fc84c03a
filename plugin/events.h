/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/events.h
 *
 * The kernel's events, read by a thread, grouped per process over the
 * coalesce window, filtered and rate-limited per interval, then handed to
 * notify.c.
 */
#ifndef SETNS_EVENTS_H
#define SETNS_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

struct bpf_map;

/* What the event path changes in the program: its pause flags and
 * interval sequence, in its mmap'd .bss, and its entry hooks, which are
 * detached while the kernel's events are paused (entry_hooks(false)). */
struct events_kernel {
  volatile bool *paused;
  volatile uint32_t *paused_uid;
  volatile uint32_t *interval_seq;
  int (*entry_hooks)(bool on); /* 0 or -errno */
};

/* The events a uid may send in an interval before the program pauses
 * them itself: its share of the notifications, times the calls one may
 * group. */
unsigned int events_uid_budget(void);

/* Starts the thread reading the events map, whichever kind attach made
 * it. */
int events_open(struct bpf_map *map, const struct events_kernel *kernel);
/* Stops the thread, flushing what it has grouped. */
void events_close(void);
/* Stops the thread, which first dispatches what it has grouped; the next
 * events_check starts it again. */
void events_stop(void);
/* From the read callback: a thread that died is reported and restarted. */
int events_check(void);
/* From the read callback: what was suppressed since load, and a new
 * interval for the rate limit. Lost events are the program's count: the
 * perf ring's own lost records come only with a later event, if any. */
void events_interval(uint64_t *suppressed);

#endif
