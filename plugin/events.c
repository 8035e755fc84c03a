/**
 * setns-collectd - plugin/events.c
 *
 * Notifications: the kernel's events, read by a poll thread, grouped per
 * process over the coalesce window, filtered, rate-limited per interval,
 * completed from /proc and dispatched as collectd notifications. Part of
 * the setns.c translation unit; everything below runs on the poll thread
 * except the stats the read callback takes.
 */

#include <pthread.h>
#include <time.h>

#define POLL_MS 50    /* how long events may wait in the ring */
#define GROUPS_MAX 64 /* processes with a notification being grouped */
#define LIST_LEN 256  /* "3,4,5" and the like */

static struct {
  bool enabled;
  int severity;
  bool failures;
  unsigned int types; /* CLONE_NEW* flags notified; all by default */
  int max_per_interval;
  uint64_t window_ns;
} notify_config = {
    .enabled = true,
    .severity = NOTIF_WARNING,
    .types = ~0U,
    .max_per_interval = 100,
    .window_ns = 100 * 1000000ULL,
};

/* Shared with the read callback. */
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
  uint64_t suppressed; /* notifications over the limit, since load */
  uint64_t lost;       /* events the perf buffer lost (ring: in kernel) */
  int sent;            /* notifications since the last read */
} stats;

/* The calls of one process within the window: one notification. */
struct join {
  int slot;
  uint32_t old, new;
};

struct group {
  bool used;
  struct setns_event first; /* who, and when the window opened */
  unsigned int types;       /* CLONE_NEW* joined so far */
  struct join joins[SETNS_NS_TYPES];
  int njoins;
  char fds[LIST_LEN];
  char nstypes[LIST_LEN];
  char exe[PATH_MAX];
};

static struct group groups[GROUPS_MAX];

enum direction { DIR_SAME, DIR_UNKNOWN, DIR_C2C, DIR_H2C, DIR_C2H, DIR_NONE };

static const char *const direction_names[] = {
    [DIR_SAME] = "same",
    [DIR_UNKNOWN] = "unknown",
    [DIR_C2C] = "container_to_container",
    [DIR_H2C] = "host_to_container",
    [DIR_C2H] = "container_to_host",
    [DIR_NONE] = "none",
};

static uint64_t monotonic_ns(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The wall-clock time of a kernel timestamp (CLOCK_MONOTONIC). */
static cdtime_t event_time(uint64_t ts_ns) {
  uint64_t now_ns = monotonic_ns();
  cdtime_t now = cdtime();

  return ts_ns < now_ns ? now - NS_TO_CDTIME_T(now_ns - ts_ns) : now;
}

/* The program's events_paused, in its memory-mapped .bss: while set, the
 * kernel sends no event and counts each call as suppressed. */
static volatile bool *events_paused;

static void events_pause(bool pause) {
  if (events_paused != NULL)
    *events_paused = pause;
}

/* One more notification this interval, or one more suppressed; the first
 * suppressed one pauses the kernel's events until the next interval. */
static bool rate_allow(void) {
  bool allow;

  pthread_mutex_lock(&stats_lock);
  allow = stats.sent < notify_config.max_per_interval;
  if (allow) {
    stats.sent++;
  } else {
    stats.suppressed++;
    events_pause(true);
  }
  pthread_mutex_unlock(&stats_lock);
  return allow;
}

/* Whether the rate limit still has room, without taking any of it. */
static bool rate_open(void) {
  bool open;

  pthread_mutex_lock(&stats_lock);
  open = stats.sent < notify_config.max_per_interval;
  pthread_mutex_unlock(&stats_lock);
  return open;
}

/* Everything a notification says about one process: gathered from the
 * event, /proc and cgroupfs, every kernel string escaped. */
struct who {
  char comm[4 * SETNS_COMM_LEN + 1];
  char cgroup[PATH_MAX];
  char container[65];
};

/* Whether the caller was in a container before the group's first call:
 * its cgroup names one, or both its mount and pid namespaces were not the
 * host's. A host process alone in a private mount namespace (systemd's
 * PrivateTmp) or visiting another network namespace (ip netns add, CNI
 * plugins) is on the host. */
static bool caller_in_container(const struct group *g,
                                const struct who *caller) {
  const unsigned int *old = g->first.ns_old;

  if (caller->container[0])
    return true;
  return old[SETNS_SLOT_MNT] &&
         old[SETNS_SLOT_MNT] != host_ns[SETNS_SLOT_MNT] &&
         old[SETNS_SLOT_PID] && old[SETNS_SLOT_PID] != host_ns[SETNS_SLOT_PID];
}

/* The side the caller was on, and whether the namespace joined is the
 * host's: a host process going back into a host namespace, or re-joining
 * the namespace it is in, is "same". */
static enum direction join_direction(const struct join *j, bool in_container) {
  if (j->new == 0)
    return DIR_UNKNOWN; /* a type this kernel does not report */
  if (j->old == j->new)
    return DIR_SAME;
  if (j->new == host_ns[j->slot])
    return in_container ? DIR_C2H : DIR_SAME;
  return in_container ? DIR_C2C : DIR_H2C;
}

/* The join that names the notification: the first with the strongest
 * direction, so that nsenter -a, which also re-joins namespaces it is
 * already in, is named after one it was not in. */
static const struct join *
group_primary(const struct group *g, bool in_container, enum direction *dir) {
  const struct join *best = g->joins;

  *dir = join_direction(best, in_container);
  for (int i = 1; i < g->njoins; i++) {
    enum direction d = join_direction(g->joins + i, in_container);

    if (d > *dir) {
      *dir = d;
      best = g->joins + i;
    }
  }
  return best;
}

static void list_append(char *list, size_t size, const char *item) {
  size_t used = strlen(list);

  snprintf(list + used, size - used, "%s%s", used ? "," : "", item);
}

static void who_caller(const struct setns_event *e, struct who *w) {
  char raw[PATH_MAX];

  escape_text(e->comm, sizeof(e->comm), w->comm, sizeof(w->comm));
  if (!cgroup_path(e->cgroup_id, raw, sizeof(raw)))
    proc_cgroup((pid_t)e->pid, raw, sizeof(raw));
  container_id(raw, w->container, sizeof(w->container));
  escape_text(raw, sizeof(raw), w->cgroup, sizeof(w->cgroup));
}

static void who_owner(pid_t pid, struct who *w) {
  char raw[PATH_MAX];

  proc_line(pid, "comm", raw, sizeof(raw));
  escape_text(raw, sizeof(raw), w->comm, sizeof(w->comm));
  proc_cgroup(pid, raw, sizeof(raw));
  container_id(raw, w->container, sizeof(w->container));
  escape_text(raw, sizeof(raw), w->cgroup, sizeof(w->cgroup));
}

/* "from the host", "from container 3f2a9c1e4b5d", ... */
static void message_direction(enum direction dir, const struct join *primary,
                              const struct who *caller, char *buf,
                              size_t size) {
  switch (dir) {
  case DIR_H2C:
    snprintf(buf, size, " from the host");
    break;
  case DIR_C2H:
  case DIR_C2C:
    if (caller->container[0])
      snprintf(buf, size, " from container %.12s", caller->container);
    else
      snprintf(buf, size, " from outside the host's namespaces");
    break;
  case DIR_SAME:
    snprintf(buf, size,
             primary->old == primary->new ? " (already in it)"
                                          : " (back to the host's)");
    break;
  default:
    buf[0] = '\0';
  }
}

/* One line for a person: who, what, whose, from where. The inode of a
 * single join is in it; with several, only the meta data lists them. */
static void message_join(const struct group *g, const struct who *caller,
                         const struct join *primary, enum direction dir,
                         pid_t owner, const struct who *target,
                         const char *joined, char *buf, size_t size) {
  char inode[16] = "", of[128] = "", from[96];

  if (g->njoins == 1)
    snprintf(inode, sizeof(inode), " %u", g->joins[0].new);
  if (dir == DIR_C2H || (dir == DIR_SAME && primary->old != primary->new))
    snprintf(of, sizeof(of), " of the host");
  else if (owner != 0 && target->container[0])
    snprintf(of, sizeof(of), " of %.64s[%d] (container %.12s)", target->comm,
             (int)owner, target->container);
  else if (owner != 0)
    snprintf(of, sizeof(of), " of %.64s[%d]", target->comm, (int)owner);
  message_direction(dir, primary, caller, from, sizeof(from));
  snprintf(buf, size, "%s[%u] uid %u joined %s namespace%s%s%s%s", caller->comm,
           g->first.pid, g->first.uid, joined, g->njoins > 1 ? "s" : "", inode,
           of, from);
}

static void meta_add_common(notification_t *n, const struct group *g,
                            const struct who *caller) {
  const struct setns_event *e = &g->first;

  plugin_notification_meta_add_unsigned_int(n, "pid", e->pid);
  plugin_notification_meta_add_unsigned_int(n, "tid", e->tid);
  plugin_notification_meta_add_unsigned_int(n, "ppid", e->ppid);
  plugin_notification_meta_add_unsigned_int(n, "uid", e->uid);
  plugin_notification_meta_add_unsigned_int(n, "gid", e->gid);
  plugin_notification_meta_add_string(n, "comm", caller->comm);
  plugin_notification_meta_add_string(n, "exe", g->exe);
  plugin_notification_meta_add_string(n, "fd", g->fds);
  plugin_notification_meta_add_string(n, "nstype", g->nstypes);
  plugin_notification_meta_add_string(n, "cgroup", caller->cgroup);
  plugin_notification_meta_add_string(n, "container_id", caller->container);
}

static void meta_add_target(notification_t *n, pid_t owner,
                            const struct who *target) {
  char pid[16] = "";

  if (owner != 0)
    snprintf(pid, sizeof(pid), "%d", (int)owner);
  plugin_notification_meta_add_string(n, "target_pid", pid);
  plugin_notification_meta_add_string(n, "target_comm", target->comm);
  plugin_notification_meta_add_string(n, "target_container_id",
                                      target->container);
}

static void notification_start(notification_t *n, const struct group *g,
                               const char *type_instance, int severity) {
  *n = (notification_t){.severity = severity,
                        .time = event_time(g->first.ts_ns)};
  sstrncpy(n->host, hostname_g, sizeof(n->host));
  sstrncpy(n->plugin, PLUGIN_NAME, sizeof(n->plugin));
  sstrncpy(n->type, "operations", sizeof(n->type));
  sstrncpy(n->type_instance, type_instance, sizeof(n->type_instance));
}

/* The last two meta keys, then dispatch: collectd copies what it keeps. */
static void notification_finish(notification_t *n, enum direction dir,
                                const char *result) {
  plugin_notification_meta_add_string(n, "direction", direction_names[dir]);
  plugin_notification_meta_add_string(n, "result", result);
  plugin_dispatch_notification(n);
  plugin_notification_meta_free(n->meta);
}

static void notify_join(const struct group *g) {
  char joined[LIST_LEN] = "", olds[LIST_LEN] = "", news[LIST_LEN] = "";
  struct who caller = {.comm = ""}, target = {.comm = ""};
  enum direction dir;
  const struct join *primary;
  pid_t owner;
  notification_t n;

  who_caller(&g->first, &caller);
  primary = group_primary(g, caller_in_container(g, &caller), &dir);
  owner = owner_find(primary->slot, primary->new, (pid_t)g->first.pid);
  for (int i = 0; i < g->njoins; i++) {
    char num[16];

    list_append(joined, sizeof(joined), ns_slot_name(g->joins[i].slot));
    snprintf(num, sizeof(num), "%u", g->joins[i].old);
    list_append(olds, sizeof(olds), num);
    snprintf(num, sizeof(num), "%u", g->joins[i].new);
    list_append(news, sizeof(news), num);
  }
  if (owner != 0)
    who_owner(owner, &target);
  notification_start(&n, g, ns_slot_name(primary->slot),
                     dir == DIR_C2H ? NOTIF_FAILURE : notify_config.severity);
  message_join(g, &caller, primary, dir, owner, &target, joined, n.message,
               sizeof(n.message));
  meta_add_common(&n, g, &caller);
  plugin_notification_meta_add_string(&n, "joined", joined);
  plugin_notification_meta_add_string(&n, "ns_inode_old", olds);
  plugin_notification_meta_add_string(&n, "ns_inode_new", news);
  meta_add_target(&n, owner, &target);
  notification_finish(&n, dir, "ok");
}

/* A failed call: never grouped, named after the type asked for ("any" for
 * nstype 0, where the kernel refused before knowing). */
static void notify_failure(const struct group *g) {
  const struct setns_event *e = &g->first;
  struct who caller = {.comm = ""}, target = {.comm = ""};
  char types[LIST_LEN], result[DATA_MAX_NAME_LEN], message[1024];
  int slot = -1;
  notification_t n;

  for (int s = 0; s < SETNS_NS_TYPES && slot < 0; s++)
    if (e->types & ns_types[s].flag)
      slot = s;
  types_list(e->types, types, sizeof(types));
  errno_name(-e->ret, result, sizeof(result));
  who_caller(e, &caller);
  notification_start(&n, g, slot < 0 ? "any" : ns_slot_name(slot),
                     notify_config.severity);
  snprintf(message, sizeof(message),
           "%s[%u] uid %u failed to join %s namespace (fd %d, nstype %s): %s",
           caller.comm, e->pid, e->uid, types[0] ? types : "a", e->fd,
           g->nstypes, result);
  sstrncpy(n.message, message, sizeof(n.message));
  meta_add_common(&n, g, &caller);
  plugin_notification_meta_add_string(&n, "joined", "");
  plugin_notification_meta_add_string(&n, "ns_inode_old", "");
  plugin_notification_meta_add_string(&n, "ns_inode_new", "");
  meta_add_target(&n, 0, &target);
  notification_finish(&n, DIR_NONE, result);
}

/* The group becomes a notification, or one more suppressed. */
static void group_flush(struct group *g) {
  if (rate_allow()) {
    if (g->first.ret < 0)
      notify_failure(g);
    else
      notify_join(g);
  }
  g->used = false;
}

static struct group *group_find(uint32_t pid) {
  for (int i = 0; i < GROUPS_MAX; i++)
    if (groups[i].used && groups[i].first.pid == pid)
      return groups + i;
  return NULL;
}

/* A free group, flushing the oldest when every one is in use. */
static struct group *group_start(const struct setns_event *e) {
  struct group *g = NULL;

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
  if (rate_open())
    proc_exe((pid_t)e->pid, g->exe, sizeof(g->exe));
  return g;
}

static void group_add(struct group *g, const struct setns_event *e,
                      unsigned int types) {
  char item[64];

  g->types |= types;
  for (int slot = 0; slot < SETNS_NS_TYPES; slot++) {
    if (!(types & ns_types[slot].flag) || g->njoins == SETNS_NS_TYPES)
      continue;
    g->joins[g->njoins++] = (struct join){
        .slot = slot, .old = e->ns_old[slot], .new = e->ns_new[slot]};
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
        (force || now_ns - groups[i].first.ts_ns >= notify_config.window_ns))
      group_flush(groups + i);
}

/* Failures only with NotifyFailures, and a call only for the types and
 * processes selected. */
static bool event_wanted(const struct setns_event *e, const char *comm) {
  unsigned int types = e->types & notify_config.types;

  if (e->ret < 0 && (!notify_config.failures || (e->types != 0 && !types)))
    return false;
  if (e->ret >= 0 && types == 0)
    return false;
  return name_filter_wants(comm);
}

/* One kernel event. Filters first, so that what is not wanted costs
 * nothing more; a successful call joins its process's open group unless
 * the window has closed or it joins a type the group already has. */
static void event_handle(const struct setns_event *e) {
  unsigned int types = e->types & notify_config.types;
  char comm[SETNS_COMM_LEN + 1] = "";
  struct group *g;

  memcpy(comm, e->comm, SETNS_COMM_LEN);
  if (!event_wanted(e, comm))
    return;
  g = group_find(e->pid);
  if (g != NULL && (e->ret < 0 || (g->types & types) ||
                    e->ts_ns - g->first.ts_ns >= notify_config.window_ns)) {
    group_flush(g);
    g = NULL;
  }
  if (g == NULL)
    g = group_start(e);
  group_add(g, e, e->ret < 0 ? 0 : types);
  if (e->ret < 0 || notify_config.window_ns == 0)
    group_flush(g);
}

/* The poll thread: events reach collectd within POLL_MS plus the window,
 * whatever the interval. The kernel wakes it only when the ring is half
 * full, so it also looks every POLL_MS. */
static struct {
  struct ring_buffer *ring;
  struct perf_buffer *perf;
  pthread_t thread;
  bool started;
  int stop;   /* atomic: set by shutdown */
  int exited; /* atomic: set by the thread as it ends */
  int error;  /* why it ended, read after exited */
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

static void on_perf_lost(void *ctx __attribute__((unused)),
                         int cpu __attribute__((unused)), __u64 count) {
  pthread_mutex_lock(&stats_lock);
  stats.lost += count;
  pthread_mutex_unlock(&stats_lock);
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

/* From the read callback: a thread that died is reported and restarted. */
static int poller_check(void) {
  if (poller.started && !__atomic_load_n(&poller.exited, __ATOMIC_ACQUIRE))
    return 0;
  poller_stop();
  ERROR(PLUGIN_NAME " plugin: the event thread stopped (%s); restarting it",
        STRERROR(-poller.error));
  return poller_start();
}

/* The consumer of the events map, whichever kind attach made it. */
static int events_open(struct bpf_map *map, volatile bool *paused) {
  int fd = bpf_map__fd(map);

  events_paused = paused;
  if (bpf_map__type(map) == BPF_MAP_TYPE_RINGBUF)
    poller.ring = ring_buffer__new(fd, on_ring_event, NULL, NULL);
  else
    poller.perf =
        perf_buffer__new(fd, 64, on_perf_event, on_perf_lost, NULL, NULL);
  if (poller.ring == NULL && poller.perf == NULL) {
    ERROR(PLUGIN_NAME " plugin: cannot read events from %s: %s",
          bpf_map__name(map), STRERRNO);
    return -1;
  }
  return poller_start();
}

static void events_close(void) {
  poller_stop();
  events_paused = NULL; /* unmapped with the skeleton */
  ring_buffer__free(poller.ring);
  perf_buffer__free(poller.perf);
  poller.ring = NULL;
  poller.perf = NULL;
}

/* For the read callback: what was suppressed and lost since load, and a
 * new interval for the rate limit. */
static void events_interval(uint64_t *suppressed, uint64_t *lost) {
  pthread_mutex_lock(&stats_lock);
  *suppressed = stats.suppressed;
  *lost = stats.lost;
  stats.sent = 0;
  events_pause(false);
  pthread_mutex_unlock(&stats_lock);
}
