/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/events.c
 *
 * The event thread, grouping and the rate limit. Everything here runs on
 * the thread, except events_interval and events_check, which the read
 * callback calls.
 */
#include "events.h"
#include "base.h"
#include "names.h"
#include "notify.h"
#include "procfs.h"
#include "settings.h"

#include <bpf/libbpf.h>
#include <pthread.h>

#define POLL_MS 50    /* how long events may wait in the ring */
#define GROUPS_MAX 64 /* processes with a notification being grouped */
#define PERF_PAGES 64 /* per CPU, for the perf buffer before Linux 5.8 */

#define UIDS_MAX 64 /* uids with a share of the interval's notifications */

/* Shared with the read callback. */
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  uint64_t suppressed; /* notifications over the limit, since load */
  int sent;            /* notifications since the last read */
  /* what each uid took of them: none may take more than half, so that
   * one uid flooding leaves the others room */
  struct {
    uint32_t uid;
    int sent;
  } uids[UIDS_MAX];
  int nuids;
} stats;

static struct call_group groups[GROUPS_MAX];

/* The program's pause flags, in its memory-mapped .bss: while all is set
 * the kernel sends no event, while uid is set (uid + 1) none of that
 * uid's; each call held back is counted as suppressed. While either is
 * set the entry hooks are detached: they would only cost the flood. */
static struct {
  volatile bool *all;
  volatile uint32_t *uid;
  volatile uint32_t *seq;
  int (*entry_hooks)(bool on);
  bool entry_off;    /* detached by pause_kernel */
  bool entry_warned; /* a failed re-attach was logged */
} pause_flags;

/* With stats_lock held. A re-attach that fails leaves notifications
 * without the namespaces the caller left, until one succeeds. */
static void entry_hooks_set(bool on) {
  int err;

  if (pause_flags.entry_hooks == NULL || pause_flags.entry_off == !on)
    return;
  err = pause_flags.entry_hooks(on);
  pause_flags.entry_off = !on;
  if (err == 0 || pause_flags.entry_warned)
    return;
  pause_flags.entry_warned = true;
  WARNING(PLUGIN_NAME " plugin: cannot %s the entry hooks: %s; notifications "
                      "may lack the namespaces their callers left",
          on ? "attach" : "detach", STRERROR(-err));
}

/* A uid's share, with stats_lock held: a uid past the table's room
 * shares the last slot with the others past it. */
static int *uid_sent(uint32_t uid) {
  int i = 0;

  while (i < stats.nuids && stats.uids[i].uid != uid)
    i++;
  if (i == stats.nuids && stats.nuids < UIDS_MAX)
    stats.uids[stats.nuids++] = (typeof(stats.uids[0])){.uid = uid};
  return &stats.uids[i < UIDS_MAX ? i : UIDS_MAX - 1].sent;
}

static int uid_share(void) {
  return settings.max_per_interval > 1 ? settings.max_per_interval / 2 : 1;
}

unsigned int events_uid_budget(void) {
  return (unsigned int)uid_share() * SETNS_NS_TYPES;
}

/* With stats_lock held: the kernel holds back this uid's events, or all
 * when another uid's are held back already or the interval's are used up. */
static void pause_kernel(uint32_t uid) {
  if (pause_flags.all == NULL)
    return;
  if (stats.sent < settings.max_per_interval &&
      (*pause_flags.uid == 0 || *pause_flags.uid == uid + 1))
    *pause_flags.uid = uid + 1;
  else
    *pause_flags.all = true;
  entry_hooks_set(false);
}

/* The program pauses a uid's events itself once it has sent its budget:
 * the entry hooks then go as when the plugin pauses them. */
static void entry_hooks_follow_kernel(void) {
  pthread_mutex_lock(&stats_lock);
  if (pause_flags.all != NULL && (*pause_flags.all || *pause_flags.uid))
    entry_hooks_set(false);
  pthread_mutex_unlock(&stats_lock);
}

/* One more notification this interval for uid, or one more suppressed,
 * which pauses the kernel's events for it. An escape is never refused,
 * though it counts as sent. */
static bool rate_allow(uint32_t uid, bool escape) {
  bool allow;
  int *mine;

  pthread_mutex_lock(&stats_lock);
  mine = uid_sent(uid);
  allow =
      escape || (stats.sent < settings.max_per_interval && *mine < uid_share());
  if (allow) {
    stats.sent++;
    (*mine)++;
  } else {
    stats.suppressed++;
    pause_kernel(uid);
  }
  pthread_mutex_unlock(&stats_lock);
  return allow;
}

/* Whether uid still has room, without taking any of it. */
static bool rate_open(uint32_t uid) {
  bool open;

  pthread_mutex_lock(&stats_lock);
  open = stats.sent < settings.max_per_interval && *uid_sent(uid) < uid_share();
  pthread_mutex_unlock(&stats_lock);
  return open;
}

/* The group becomes a notification, or one more suppressed: when its uid
 * has no room left, without looking anything up in /proc, unless it may
 * be an escape. */
static void group_flush(struct call_group *g) {
  if (rate_open(g->first.uid) || notify_may_escape(g))
    notify_group(g, rate_allow);
  else
    rate_allow(g->first.uid, false);
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
  if (rate_open(e->uid))
    proc_exe((pid_t)e->pid, g->exe, sizeof(g->exe));
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
        (force || now_ns - groups[i].first.ts_ns >= settings.window_ns))
      group_flush(groups + i);
}

/* Failures only with NotifyFailures, and a call only for the types and
 * processes selected. */
static bool event_wanted(const struct setns_event *e, const char *comm) {
  unsigned int types = e->types & settings.types;

  if (e->ret < 0 && (!settings.failures || (e->types != 0 && !types)))
    return false;
  /* a join names known types only: anything else is no join */
  if (e->ret >= 0 && !(types & SETNS_NS_ALL_FLAGS))
    return false;
  return name_filter_wants(&settings.processes, comm);
}

/* Whether a successful call takes every type it joins back to where the
 * group's join of that type came from, within the window: the group was a
 * step in and back. */
static bool group_returns(const struct call_group *g,
                          const struct setns_event *e, unsigned int types) {
  unsigned int back = 0;

  if (e->ret < 0 || types == 0 ||
      e->ts_ns - g->first.ts_ns >= settings.window_ns)
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
  unsigned int types = e->types & settings.types & SETNS_NS_ALL_FLAGS;
  char comm[SETNS_COMM_LEN + 1] = "";
  struct call_group *g;

  memcpy(comm, e->comm, SETNS_COMM_LEN);
  if (!event_wanted(e, comm))
    return;
  g = group_find(e->pid);
  if (g != NULL && (e->ret < 0 || (g->types & types) ||
                    e->ts_ns - g->first.ts_ns >= settings.window_ns)) {
    g->round_trip = group_returns(g, e, types);
    group_flush(g);
    g = NULL;
  }
  if (g == NULL)
    g = group_start(e);
  group_add(g, e, e->ret < 0 ? 0 : types);
  if (e->ret < 0 || settings.window_ns == 0)
    group_flush(g);
}

/* The event thread: events reach collectd within POLL_MS plus the window,
 * whatever the interval. Each CPU wakes it only once every 512 events
 * (WAKEUP_EVERY in the program), so it also looks every POLL_MS. */
static struct {
  struct ring_buffer *ring;
  struct perf_buffer *perf;
  pthread_t thread;
  bool started;
  bool stopped; /* by events_stop */
  int stop;     /* atomic: set by shutdown */
  int exited;   /* atomic: set by the thread as it ends */
  int error;    /* why it ended, read after exited */
} poller;

static int on_ring_event(void *ctx __attribute__((unused)), void *data,
                         size_t size) {
  if (size >= sizeof(struct setns_event))
    event_handle(data);
  return 0;
}

static void on_perf_event(void *ctx __attribute__((unused)),
                          int cpu __attribute__((unused)), void *data,
                          __u32 size) {
  struct setns_event e; /* perf samples are only 4-byte aligned */

  if (size < sizeof(e))
    return;
  memcpy(&e, data, sizeof(e));
  event_handle(&e);
}

static void *poll_loop(void *arg __attribute__((unused))) {
  int err = 0;

  while (err >= 0 && !__atomic_load_n(&poller.stop, __ATOMIC_ACQUIRE)) {
    if (poller.ring != NULL) {
      err = ring_buffer__poll(poller.ring, POLL_MS);
      if (err >= 0)
        err = ring_buffer__consume(poller.ring);
    } else {
      err = perf_buffer__poll(poller.perf, POLL_MS);
    }
    if (err == -EINTR)
      err = 0;
    groups_expire(monotonic_ns(), false);
    entry_hooks_follow_kernel();
  }
  groups_expire(0, true);
  poller.error = err < 0 ? err : 0;
  __atomic_store_n(&poller.exited, 1, __ATOMIC_RELEASE);
  return NULL;
}

static int poller_start(void) {
  int err;

  poller.stop = 0;
  poller.exited = 0;
  err = plugin_thread_create(&poller.thread, poll_loop, NULL, "setns events");
  if (err != 0) {
    ERROR(PLUGIN_NAME " plugin: cannot start the event thread: %s",
          STRERROR(err));
    return -1;
  }
  poller.started = true;
  return 0;
}

static void poller_stop(void) {
  if (!poller.started)
    return;
  __atomic_store_n(&poller.stop, 1, __ATOMIC_RELEASE);
  pthread_join(poller.thread, NULL);
  poller.started = false;
}

void events_stop(void) {
  poller_stop();
  poller.stopped = true;
}

int events_check(void) {
  if (poller.stopped) { /* by events_stop, not by an error */
    poller.stopped = false;
    return poller_start();
  }
  if (poller.started && !__atomic_load_n(&poller.exited, __ATOMIC_ACQUIRE))
    return 0;
  poller_stop();
  ERROR(PLUGIN_NAME " plugin: the event thread stopped (%s); restarting it",
        STRERROR(-poller.error));
  return poller_start();
}

int events_open(struct bpf_map *map, const struct events_kernel *kernel) {
  int fd = bpf_map__fd(map);

  pause_flags.all = kernel->paused;
  pause_flags.uid = kernel->paused_uid;
  pause_flags.seq = kernel->interval_seq;
  pause_flags.entry_hooks = kernel->entry_hooks;
  pause_flags.entry_off = false;
  if (bpf_map__type(map) == BPF_MAP_TYPE_RINGBUF)
    poller.ring = ring_buffer__new(fd, on_ring_event, NULL, NULL);
  else
    poller.perf =
        perf_buffer__new(fd, PERF_PAGES, on_perf_event, NULL, NULL, NULL);
  if (poller.ring == NULL && poller.perf == NULL) {
    ERROR(PLUGIN_NAME " plugin: cannot read events from %s: %s",
          bpf_map__name(map), STRERRNO);
    return -1;
  }
  return poller_start();
}

void events_close(void) {
  poller_stop();
  pause_flags.all = NULL; /* unmapped with the skeleton */
  pause_flags.uid = NULL;
  pause_flags.seq = NULL;
  pause_flags.entry_hooks = NULL;
  ring_buffer__free(poller.ring);
  perf_buffer__free(poller.perf);
  poller.ring = NULL;
  poller.perf = NULL;
}

void events_interval(uint64_t *suppressed) {
  pthread_mutex_lock(&stats_lock);
  *suppressed = stats.suppressed;
  stats.sent = 0;
  stats.nuids = 0;
  if (pause_flags.all != NULL) {
    entry_hooks_set(true); /* before the kernel sends events again */
    *pause_flags.all = false;
    *pause_flags.uid = 0;
    (*pause_flags.seq)++;
  }
  pthread_mutex_unlock(&stats_lock);
}
