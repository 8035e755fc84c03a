/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/budget.h
 *
 * MaxNotificationsPerInterval, the plugin's side: how many notifications
 * each uid may take in an interval, the pause of the kernel's events when
 * they are used up, the exemption of escapes, and the entry hooks, which
 * are off while events are paused. The program's side of the same
 * protocol is bpf/budget.bpf.h; the two meet in the program's .bss.
 */
#ifndef SETNS_BUDGET_H
#define SETNS_BUDGET_H

#include "settings.h"

#include <stdbool.h>
#include <stdint.h>

/* The program's pause flags and interval sequence, in its memory-mapped
 * .bss (see bpf/budget.bpf.h), and the switch of its entry hooks (attach.c
 * attaches and detaches them; 0 or -errno). */
struct budget_kernel {
  volatile bool *paused;
  volatile uint32_t *paused_uid;
  volatile uint32_t *interval_seq; /* bumped at every read */
  volatile uint32_t *pause_seq;    /* bumped when a pause is lifted */
  int (*entry_hooks)(bool on);
};

/* The events a uid may send in an interval before the program pauses them
 * itself, for its rodata before load: its share of the notifications,
 * times the calls one may group. */
unsigned int budget_uid_events(const struct settings *s);

/* From init, once the program is loaded; kernel may be NULL (no program:
 * the unit tests). budget_close forgets the kernel before it is unmapped. */
void budget_open(const struct settings *s, const struct budget_kernel *kernel);
void budget_close(void);

/* Whether uid still has room this interval, without taking any. */
bool budget_room(uint32_t uid);
/* One more notification this interval for uid, or one more suppressed,
 * which pauses the kernel's events for it. An escape is never refused,
 * though it counts as sent. */
bool budget_take(uint32_t uid, bool escape);
/* From the event thread: the program pauses a uid itself once it has sent
 * its budget; the entry hooks then go as when the plugin pauses it. */
void budget_follow_kernel(void);
/* From the read callback: a new interval (hooks on, the pause lifted);
 * returns what was suppressed since budget_open. */
uint64_t budget_interval(void);

#endif
