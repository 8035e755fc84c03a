/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/judge.h
 *
 * What a group of calls was: who made them (the caller, from the event,
 * /proc and cgroupfs), where to (the join naming the notification, its
 * direction, the process living there) and so what activity.
 */
#ifndef SETNS_JUDGE_H
#define SETNS_JUDGE_H

#include "activity.h"
#include "group.h"
#include "names.h"
#include "runtime.h"

#include <sys/types.h>

/* A process as a notification shows it: from the event, /proc and
 * cgroupfs, every string escaped. */
struct process_info {
  char comm[4 * SETNS_COMM_LEN + 1];
  char cgroup[4 * PATH_MAX + 1];
  char container[CONTAINER_ID_LEN + 1];
  char pod[POD_ID_LEN + 1];
  struct container_names names; /* of the container, as its runtime has them */
};

/* The caller: that, and what the kernel saw of its lineage at the call. */
struct caller_info {
  struct process_info p;
  char exe[4 * PATH_MAX + 1];
  enum role role;
  const char *runtime;          /* the runtime or helper it is, or "" */
  bool engine_ancestor;         /* see struct join_facts */
  char ancestors[LIST_LEN * 2]; /* "comm[pid],comm[pid]" */
  char asked_by[4 * SETNS_COMM_LEN + 16]; /* "bash[4100]" or "" */
};

/* A join notification in the making. */
struct join_notice {
  const struct call_group *g;
  struct caller_info caller;
  bool in_container;          /* the caller, before its first call */
  const struct join *primary; /* the join that names the notification */
  enum direction dir;         /* the primary's */
  pid_t primary_host;         /* a process on the host living there */
  pid_t target_pid;           /* a process in the primary's namespace */
  bool target_on_host;        /* that process is on the host */
  struct process_info target; /* and what it is */
  enum activity activity;
  char joined[LIST_LEN]; /* "ipc,uts,net" */
};

/* The caller of a group, every string escaped. */
void judge_caller(const struct call_group *g, struct caller_info *c);
/* Who, where to, whose, and so what activity, for jn->g's joins. */
void judge_join(struct join_notice *jn);
/* Looks up, and so remembers, the names of the container an event's
 * caller is in, while it most likely still exists: a container removed
 * right after its join is still named when the notification is built. */
void judge_remember(const struct setns_event *e);
/* Whether the group may be an escape, from the event alone (no /proc): it
 * joined one of PID 1's namespaces or reached the host's root, and the
 * caller looks to be in a container. */
bool judge_may_escape(const struct call_group *g);

#endif
