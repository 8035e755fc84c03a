/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/sessions.h
 *
 * ExecSessions, the plugin's side: what happened after a notified join
 * (an exec, an enter, an escape, lateral movement): the commands its
 * processes ran and, when the last of them exits, one notification with
 * its duration, exit status and processes. The program follows every
 * join's processes (bpf/sessions.bpf.h); here the sessions of notified
 * joins are kept and the others discarded.
 */
#ifndef SETNS_SESSIONS_H
#define SETNS_SESSIONS_H

#include "runtime.h"
#include "settings.h"

#include <stdbool.h>
#include <stdint.h>

struct bpf_map;

/* The program's session maps and ring buffer; 0, or -1 after one ERROR.
 * Without ExecSessions, nothing is opened and the rest does nothing. */
int sessions_open(const struct settings *s, struct bpf_map *events,
                  struct bpf_map *sessions, struct bpf_map *kept);
/* From the event thread: takes what the program sent; 0 or -errno. */
int sessions_poll(void);
void sessions_close(void);

/* Who opened a session, as its join's notification named them (strings
 * escaped), for the notification of its end. */
struct session_origin {
  const char *activity;
  uint32_t pid, uid;
  const char *comm;
  const char *container_id;
  const struct container_names *container;
  const char *target_container_id;
  const struct container_names *target;
};

/* From notify.c, once a join's activity is known: a notified join keeps
 * its session (the program then follows it to its end), any other
 * discards it. id 0 (no session) does nothing. */
void sessions_judged(uint64_t id, bool keep, const struct session_origin *o);
/* Sessions the plugin could not follow (its table full), since open. */
uint64_t sessions_dropped(void);

#endif
