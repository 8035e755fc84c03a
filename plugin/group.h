/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/group.h
 *
 * The calls of one process within the coalesce window, as events.c groups
 * them and judge.c and notify.c read them.
 */
#ifndef SETNS_GROUP_H
#define SETNS_GROUP_H

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

#endif
