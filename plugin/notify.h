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

#include "setns.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

/* Lists long enough never to be cut: a group holds at most one call per
 * namespace type (a type joined again starts a new group), and an nstype
 * names at most every CLONE_NEW* flag and the unknown bits in hex. */
#define LIST_LEN 256   /* "3,4,5", "ipc,uts,net", inode lists */
#define NSTYPE_LEN 128 /* "CLONE_NEWNET|CLONE_NEWUTS|...|0x1" */

/* One namespace joined: its slot, the caller's before and after. */
struct join {
  int slot;
  uint32_t old, new;
  bool host_root; /* a mount namespace join that reached the host's root */
};

/* The calls of one process within the coalesce window. */
struct call_group {
  bool used;
  struct setns_event first; /* who, and when the window opened */
  unsigned int types;       /* CLONE_NEW* joined so far */
  struct join joins[SETNS_NS_TYPES];
  int njoins;
  char fds[LIST_LEN]; /* the calls' fd arguments, comma-separated */
  char nstypes[SETNS_NS_TYPES * NSTYPE_LEN]; /* their nstypes, likewise */
  char exe[PATH_MAX]; /* /proc/PID/exe when the group started */
  /* The process's next call, within the window, went back to where the
   * group had taken it from: a step in and back. */
  bool round_trip;
};

/* CLOCK_MONOTONIC in ns, the clock of the events' ts_ns. */
uint64_t monotonic_ns(void);

/* Builds and dispatches the group's notification (its joins, or the
 * failed call it holds) when its activity is notified and allow(uid,
 * escape) lets it: the rate limit is asked only for what would be sent,
 * and told when it is an escape, which it must let through. */
void notify_group(const struct call_group *g, bool (*allow)(uint32_t, bool));
/* Whether the group may be an escape, from the event alone (no /proc): it
 * joined one of PID 1's namespaces or reached the host's root, and the
 * caller looks to be in a container. */
bool notify_may_escape(const struct call_group *g);

#endif
