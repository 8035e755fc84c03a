/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/notify.h
 *
 * What a notification says: one per group of calls by one process (see
 * events.c), with the direction of the join, a message for a person and
 * the meta data for programs.
 */
#ifndef SETNS_NOTIFY_H
#define SETNS_NOTIFY_H

#include "group.h"
#include "settings.h"

#include <stdbool.h>
#include <stdint.h>

/* The budget's answer for a notification of uid (budget_take): escapes
 * are always let through, but counted. */
typedef bool (*notify_allow)(uint32_t uid, bool escape);

/* Builds and dispatches the group's notification (its joins, or the
 * failed call it holds) when its activity is notified by s and allow(uid,
 * escape) lets it: the budget is asked only for what would be sent, and
 * told when it is an escape, which it must let through. */
void notify_group(const struct call_group *g, const struct settings *s,
                  notify_allow allow);

#endif
