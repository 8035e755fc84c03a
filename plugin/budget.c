/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/budget.c
 *
 * The per-uid notification budget and the pause (see budget.h). The event
 * thread takes from it and the read callback renews it: all of it under
 * one lock.
 */
#include "budget.h"
#include "names.h"

#include <pthread.h>

#define UIDS_MAX 64 /* uids with a share of the interval's notifications */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static const struct settings *cfg;

static struct {
  uint64_t suppressed; /* notifications over the limit, since open */
  int sent;            /* notifications this interval */
  /* what each uid took of them: none may take more than half, so that
   * one uid flooding leaves the others room */
  struct {
    uint32_t uid;
    int sent;
  } uids[UIDS_MAX];
  int nuids;
} stats;

/* The program's pause flags: while paused is set the kernel sends no
 * event, while paused_uid is set (uid + 1) none of that uid's; each call
 * held back is counted as suppressed. While either is set the entry hooks
 * are detached: they would only cost the flood. */
static struct {
  struct budget_kernel k;
  bool on;           /* a kernel was given */
  bool entry_off;    /* the entry hooks are detached */
  bool entry_warned; /* a failed re-attach was logged */
} kernel;

static int uid_share(void) {
  int max = cfg != NULL ? cfg->max_per_interval : 1;

  return max > 1 ? max / 2 : 1;
}

unsigned int budget_uid_events(const struct settings *s) {
  int max = s->max_per_interval;

  return (unsigned int)(max > 1 ? max / 2 : 1) * SETNS_NS_TYPES;
}

void budget_open(const struct settings *s, const struct budget_kernel *k) {
  pthread_mutex_lock(&lock);
  cfg = s;
  memset(&stats, 0, sizeof(stats));
  kernel.on = k != NULL;
  kernel.k = k != NULL ? *k : (struct budget_kernel){0};
  kernel.entry_off = false;
  kernel.entry_warned = false;
  pthread_mutex_unlock(&lock);
}

void budget_close(void) {
  pthread_mutex_lock(&lock);
  kernel.on = false; /* unmapped with the skeleton */
  kernel.k = (struct budget_kernel){0};
  pthread_mutex_unlock(&lock);
}

/* With the lock held. A re-attach that fails leaves notifications without
 * the namespaces the caller left, until one succeeds. */
static void entry_hooks_set(bool on) {
  int err;

  if (kernel.k.entry_hooks == NULL || kernel.entry_off == !on)
    return;
  err = kernel.k.entry_hooks(on);
  kernel.entry_off = !on;
  if (err == 0 || kernel.entry_warned)
    return;
  kernel.entry_warned = true;
  WARNING(PLUGIN_NAME " plugin: cannot %s the entry hooks: %s; notifications "
                      "may lack the namespaces their callers left",
          on ? "attach" : "detach", STRERROR(-err));
}

/* A uid's share, with the lock held: a uid past the table's room shares
 * the last slot with the others past it. */
static int *uid_sent(uint32_t uid) {
  int i = 0;

  while (i < stats.nuids && stats.uids[i].uid != uid)
    i++;
  if (i == stats.nuids && stats.nuids < UIDS_MAX)
    stats.uids[stats.nuids++] = (typeof(stats.uids[0])){.uid = uid};
  return &stats.uids[i < UIDS_MAX ? i : UIDS_MAX - 1].sent;
}

/* With the lock held: whether the interval and uid have room. */
static bool has_room(uint32_t uid) {
  return stats.sent < cfg->max_per_interval && *uid_sent(uid) < uid_share();
}

/* With the lock held: the kernel holds back this uid's events, or all when
 * another uid's are held back already or the interval's are used up. */
static void pause_kernel(uint32_t uid) {
  if (!kernel.on)
    return;
  if (stats.sent < cfg->max_per_interval &&
      (*kernel.k.paused_uid == 0 || *kernel.k.paused_uid == uid + 1))
    *kernel.k.paused_uid = uid + 1;
  else
    *kernel.k.paused = true;
  entry_hooks_set(false);
}

bool budget_room(uint32_t uid) {
  bool room;

  pthread_mutex_lock(&lock);
  room = has_room(uid);
  pthread_mutex_unlock(&lock);
  return room;
}

bool budget_take(uint32_t uid, bool escape) {
  bool allow;

  pthread_mutex_lock(&lock);
  allow = escape || has_room(uid);
  if (allow) {
    stats.sent++;
    (*uid_sent(uid))++;
  } else {
    stats.suppressed++;
    pause_kernel(uid);
  }
  pthread_mutex_unlock(&lock);
  return allow;
}

void budget_follow_kernel(void) {
  pthread_mutex_lock(&lock);
  if (kernel.on && (*kernel.k.paused || *kernel.k.paused_uid))
    entry_hooks_set(false);
  pthread_mutex_unlock(&lock);
}

uint64_t budget_interval(void) {
  uint64_t suppressed;

  pthread_mutex_lock(&lock);
  suppressed = stats.suppressed;
  stats.sent = 0;
  stats.nuids = 0;
  if (kernel.on) {
    entry_hooks_set(true); /* before the kernel sends events again */
    /* the entries noted before a pause are void, before any is noted
     * after it */
    if (*kernel.k.paused || *kernel.k.paused_uid)
      (*kernel.k.pause_seq)++;
    *kernel.k.paused = false;
    *kernel.k.paused_uid = 0;
    (*kernel.k.interval_seq)++;
  }
  pthread_mutex_unlock(&lock);
  return suppressed;
}
