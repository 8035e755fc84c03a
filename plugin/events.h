/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/events.h
 *
 * The kernel's events, grouped per process over the coalesce window,
 * filtered, and handed to notify.c within the budget (budget.c). The
 * thread that polls is setns.c's.
 */
#ifndef SETNS_EVENTS_H
#define SETNS_EVENTS_H

#include "settings.h"

struct bpf_map;

/* Reads the events map, whichever kind attach.c made it, by s; 0, or -1
 * after one ERROR. */
int events_open(struct bpf_map *map, const struct settings *s);
/* One round of the event thread: waits for events a short while, then
 * hands on the groups whose window has closed; 0 or -errno. */
int events_poll(void);
/* Hands on every group still open. */
void events_flush(void);
void events_close(void);

#endif
