/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/events.c
 *
 * From the kernel's events to groups of calls, one per process over the
 * coalesce window, filtered, then handed to notify.c under the budget.
 * Everything here runs on the event thread (setns.c).
 */
#include "events.h"
#include "base.h"
#include "budget.h"
#include "compat.h"
#include "judge.h"
#include "names.h"
#include "notice.h"
#include "notify.h"
#include "procfs.h"

#include <bpf/libbpf.h>

#define POLL_MS 50    /* how long events may wait in the ring */
#define GROUPS_MAX 64 /* processes with a notification being grouped */

static const struct settings *cfg;
static struct compat_buffer *buffer;

static struct call_group groups[GROUPS_MAX];

/* The group becomes a notification, or one more suppressed: when its uid
 * has no room left, without looking anything up in /proc, unless it may
 * be an escape. */
static void group_flush(struct call_group *g) {
  if (budget_room(g->first.uid) || judge_may_escape(g))
    notify_group(g, cfg, budget_take);
  else
    budget_take(g->first.uid, false);
  g->used = false;
}

static struct call_group *group_find(uint32_t pid) {
  for (int i = 0; i < GROUPS_MAX; i++)
    if (groups[i].used && groups[i].first.pid == pid)
      return groups + i;
  return NULL;
}

/* A free group, flushing the oldest when every one is in use. */
static struct call_group *group_start(const struct setns_event *e) {
  struct call_group *g = NULL;

  for (int i = 0; i < GROUPS_MAX && g == NULL; i++)
    if (!groups[i].used)
      g = groups + i;
  if (g == NULL) {
    g = groups;
    for (int i = 1; i < GROUPS_MAX; i++)
      if (groups[i].first.ts_ns < g->first.ts_ns)
        g = groups + i;
  }
  if (g->used)
    group_flush(g);
  memset(g, 0, sizeof(*g));
  g->used = true;
  g->first = *e;
  /* Now, while the process most likely still runs; not when the limit is
   * reached already, so that a flood costs no /proc reads. */
  if (budget_room(e->uid)) {
    proc_exe((pid_t)e->pid, g->exe, sizeof(g->exe));
    judge_remember(e);
  }
  return g;
}

static void group_add(struct call_group *g, const struct setns_event *e,
                      unsigned int types) {
  bool host_root = host_root_is(e->root_dev, e->root_ino);
  char item[NSTYPE_LEN];
  struct join *j;

  g->types |= types;
  for (unsigned int slot = 0; slot < SETNS_NS_TYPES; slot++) {
    if (!(types & ns_slot_flag(slot)) || g->njoins == SETNS_NS_TYPES)
      continue;
    j = g->joins + g->njoins++;
    *j = (struct join){
        .slot = (int)slot, .old = e->ns_old[slot], .new = e->ns_new[slot]};
    j->host_root = host_root && slot == SETNS_SLOT_MNT;
  }
  snprintf(item, sizeof(item), "%d", e->fd);
  list_append(g->fds, sizeof(g->fds), item);
  nstype_name(e->nstype, item, sizeof(item));
  list_append(g->nstypes, sizeof(g->nstypes), item);
}

/* Flushes the groups whose window has closed by now_ns; all with force. */
static void groups_expire(uint64_t now_ns, bool force) {
  for (int i = 0; i < GROUPS_MAX; i++)
    if (groups[i].used &&
        (force || now_ns - groups[i].first.ts_ns >= cfg->window_ns))
      group_flush(groups + i);
}

/* Failures only with NotifyFailures, and a call only for the types and
 * processes selected. */
static bool event_wanted(const struct setns_event *e, const char *comm) {
  unsigned int types = e->types & cfg->types;

  if (e->ret < 0 && (!cfg->failures || (e->types != 0 && !types)))
    return false;
  /* a join names known types only: anything else is no join */
  if (e->ret >= 0 && !(types & SETNS_NS_ALL_FLAGS))
    return false;
  return name_filter_wants(&cfg->processes, comm);
}

/* Whether a successful call takes every type it joins back to where the
 * group's join of that type came from, within the window: the group was a
 * step in and back. */
static bool group_returns(const struct call_group *g,
                          const struct setns_event *e, unsigned int types) {
  unsigned int back = 0;

  if (e->ret < 0 || types == 0 || e->ts_ns - g->first.ts_ns >= cfg->window_ns)
    return false;
  for (int i = 0; i < g->njoins; i++) {
    const struct join *j = g->joins + i;

    if ((types & ns_slot_flag((unsigned int)j->slot)) && j->old != 0 &&
        e->ns_new[j->slot] == j->old)
      back |= ns_slot_flag((unsigned int)j->slot);
  }
  return back == types;
}

/* One kernel event. Filters first, so that what is not wanted costs
 * nothing more; a successful call joins its process's open group unless
 * the window has closed or it joins a type the group already has. */
static void event_handle(const struct setns_event *e) {
  unsigned int types = e->types & cfg->types & SETNS_NS_ALL_FLAGS;
  char comm[SETNS_COMM_LEN + 1] = "";
  struct call_group *g;

  memcpy(comm, e->comm, SETNS_COMM_LEN);
  if (!event_wanted(e, comm))
    return;
  g = group_find(e->pid);
  if (g != NULL && (e->ret < 0 || (g->types & types) ||
                    e->ts_ns - g->first.ts_ns >= cfg->window_ns)) {
    g->round_trip = group_returns(g, e, types);
    group_flush(g);
    g = NULL;
  }
  if (g == NULL)
    g = group_start(e);
  group_add(g, e, e->ret < 0 ? 0 : types);
  if (e->ret < 0 || cfg->window_ns == 0)
    group_flush(g);
}

int events_open(struct bpf_map *map, const struct settings *s) {
  cfg = s;
  buffer = compat_buffer_new(map, event_handle);
  if (buffer == NULL) {
    ERROR(PLUGIN_NAME " plugin: cannot read events from %s: %s",
          bpf_map__name(map), STRERRNO);
    return -1;
  }
  return 0;
}

/* Events reach collectd within POLL_MS plus the window, whatever the
 * interval. Each CPU wakes the thread only once every 512 events
 * (WAKEUP_EVERY in the program), so it also looks every POLL_MS. */
int events_poll(void) {
  int err = compat_buffer_poll(buffer, POLL_MS);

  groups_expire(monotonic_ns(), false);
  budget_follow_kernel();
  return err == -EINTR || err > 0 ? 0 : err;
}

void events_flush(void) { groups_expire(0, true); }

void events_close(void) {
  compat_buffer_free(buffer);
  buffer = NULL;
}
