/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/notify.c
 *
 * From a group of calls to a collectd notification: the direction of the
 * join, the message, the meta data, every string escaped.
 */
#include "notify.h"
#include "base.h"
#include "names.h"
#include "procfs.h"
#include "residents.h"
#include "settings.h"

#include <time.h>

enum direction { DIR_SAME, DIR_UNKNOWN, DIR_C2C, DIR_H2C, DIR_C2H, DIR_NONE };

static const char *const direction_names[] = {
    [DIR_SAME] = "same",
    [DIR_UNKNOWN] = "unknown",
    [DIR_C2C] = "container_to_container",
    [DIR_H2C] = "host_to_container",
    [DIR_C2H] = "container_to_host",
    [DIR_NONE] = "none",
};

/* A process as a notification shows it: from the event, /proc and
 * cgroupfs, every string escaped. */
struct process_info {
  char comm[4 * SETNS_COMM_LEN + 1];
  char cgroup[PATH_MAX];
  char container[CONTAINER_ID_LEN + 1];
};

/* A join notification in the making. */
struct join_notice {
  const struct call_group *g;
  struct process_info caller;
  bool in_container;          /* the caller, before its first call */
  const struct join *primary; /* the join that names the notification */
  enum direction dir;         /* the primary's */
  pid_t target_pid;           /* a process in the primary's namespace */
  struct process_info target; /* and what it is */
  char joined[LIST_LEN];      /* "ipc,uts,net" */
};

uint64_t monotonic_ns(void) {
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

/* Whether the caller was in a container before the group's first call:
 * its cgroup names one, or both its mount and pid namespaces were not the
 * host's. A host process alone in a private mount namespace (systemd's
 * PrivateTmp) or visiting another network namespace (ip netns add, CNI
 * plugins) is on the host. */
static bool caller_in_container(const struct call_group *g,
                                const struct process_info *caller) {
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
static void choose_primary(struct join_notice *jn) {
  const struct call_group *g = jn->g;

  jn->primary = g->joins;
  jn->dir = join_direction(g->joins, jn->in_container);
  for (int i = 1; i < g->njoins; i++) {
    enum direction d = join_direction(g->joins + i, jn->in_container);

    if (d > jn->dir) {
      jn->dir = d;
      jn->primary = g->joins + i;
    }
  }
}

/* The cgroup path and the container it names, both kept escaped. */
static void process_cgroup(const char *raw, struct process_info *p) {
  container_id(raw, p->container, sizeof(p->container));
  escape_text(raw, PATH_MAX, p->cgroup, sizeof(p->cgroup));
}

/* The caller, from the event: its cgroup by id, so that it is known after
 * the process has exited, else from /proc. */
static void caller_info(const struct setns_event *e, struct process_info *p) {
  char raw[PATH_MAX];

  escape_text(e->comm, sizeof(e->comm), p->comm, sizeof(p->comm));
  if (!cgroup_path(e->cgroup_id, raw, sizeof(raw)))
    proc_cgroup((pid_t)e->pid, raw, sizeof(raw));
  process_cgroup(raw, p);
}

/* Any other process, from /proc. */
static void process_info_read(pid_t pid, struct process_info *p) {
  char raw[PATH_MAX];

  proc_line(pid, "comm", raw, sizeof(raw));
  escape_text(raw, sizeof(raw), p->comm, sizeof(p->comm));
  proc_cgroup(pid, raw, sizeof(raw));
  process_cgroup(raw, p);
}

/* " of the host", " of nginx[987] (container 3f2a9c1e4b5d)", ... */
static void message_whose(const struct join_notice *jn, char *buf,
                          size_t size) {
  const struct process_info *t = &jn->target;
  bool back = jn->dir == DIR_SAME && jn->primary->old != jn->primary->new;

  buf[0] = '\0';
  if (jn->dir == DIR_C2H || back)
    snprintf(buf, size, " of the host");
  else if (jn->target_pid != 0 && t->container[0])
    snprintf(buf, size, " of %s[%d] (container %.*s)", t->comm,
             (int)jn->target_pid, CONTAINER_ID_SHORT, t->container);
  else if (jn->target_pid != 0)
    snprintf(buf, size, " of %s[%d]", t->comm, (int)jn->target_pid);
}

/* " from the host", " from container 3f2a9c1e4b5d", ... */
static void message_from(const struct join_notice *jn, char *buf, size_t size) {
  switch (jn->dir) {
  case DIR_H2C:
    snprintf(buf, size, " from the host");
    break;
  case DIR_C2H:
  case DIR_C2C:
    if (jn->caller.container[0])
      snprintf(buf, size, " from container %.*s", CONTAINER_ID_SHORT,
               jn->caller.container);
    else
      snprintf(buf, size, " from outside the host's namespaces");
    break;
  case DIR_SAME:
    snprintf(buf, size,
             jn->primary->old == jn->primary->new ? " (already in it)"
                                                  : " (back to the host's)");
    break;
  default:
    buf[0] = '\0';
  }
}

/* One line for a person: who, what, whose, from where. The inode of a
 * single join is in it; with several, only the meta data lists them. */
static void message_join(const struct join_notice *jn, char *buf, size_t size) {
  const struct call_group *g = jn->g;
  char inode[16] = "", whose[128], from[96];

  if (g->njoins == 1)
    snprintf(inode, sizeof(inode), " %u", g->joins[0].new);
  message_whose(jn, whose, sizeof(whose));
  message_from(jn, from, sizeof(from));
  snprintf(buf, size, "%s[%u] uid %u joined %s namespace%s%s%s%s",
           jn->caller.comm, g->first.pid, g->first.uid, jn->joined,
           g->njoins > 1 ? "s" : "", inode, whose, from);
}

static void meta_add_caller(notification_t *n, const struct call_group *g,
                            const struct process_info *caller) {
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

/* The joined types and both inode lists, in call order. */
static void meta_add_joins(notification_t *n, const struct join_notice *jn) {
  const struct call_group *g = jn->g;
  char olds[LIST_LEN] = "", news[LIST_LEN] = "", num[16];

  for (int i = 0; i < g->njoins; i++) {
    snprintf(num, sizeof(num), "%u", g->joins[i].old);
    list_append(olds, sizeof(olds), num);
    snprintf(num, sizeof(num), "%u", g->joins[i].new);
    list_append(news, sizeof(news), num);
  }
  plugin_notification_meta_add_string(n, "joined", jn->joined);
  plugin_notification_meta_add_string(n, "ns_inode_old", olds);
  plugin_notification_meta_add_string(n, "ns_inode_new", news);
}

static void meta_add_target(notification_t *n, pid_t target_pid,
                            const struct process_info *target) {
  char pid[16] = "";

  if (target_pid != 0)
    snprintf(pid, sizeof(pid), "%d", (int)target_pid);
  plugin_notification_meta_add_string(n, "target_pid", pid);
  plugin_notification_meta_add_string(n, "target_comm", target->comm);
  plugin_notification_meta_add_string(n, "target_container_id",
                                      target->container);
}

static void notification_start(notification_t *n, const struct call_group *g,
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

static void notify_join(const struct call_group *g) {
  struct join_notice jn = {.g = g};
  notification_t n;

  caller_info(&g->first, &jn.caller);
  jn.in_container = caller_in_container(g, &jn.caller);
  choose_primary(&jn);
  jn.target_pid =
      resident_find(jn.primary->slot, jn.primary->new, (pid_t)g->first.pid);
  if (jn.target_pid != 0)
    process_info_read(jn.target_pid, &jn.target);
  for (int i = 0; i < g->njoins; i++)
    list_append(jn.joined, sizeof(jn.joined), ns_slot_name(g->joins[i].slot));
  notification_start(&n, g, ns_slot_name(jn.primary->slot),
                     jn.dir == DIR_C2H ? NOTIF_FAILURE : settings.severity);
  message_join(&jn, n.message, sizeof(n.message));
  meta_add_caller(&n, g, &jn.caller);
  meta_add_joins(&n, &jn);
  meta_add_target(&n, jn.target_pid, &jn.target);
  notification_finish(&n, jn.dir, "ok");
}

/* A failed call: never grouped, named after the type asked for ("any" for
 * nstype 0, where the kernel refused before knowing). */
static void notify_failure(const struct call_group *g) {
  const struct setns_event *e = &g->first;
  struct process_info caller = {.comm = ""}, none = {.comm = ""};
  char types[LIST_LEN], result[DATA_MAX_NAME_LEN], message[1024];
  const char *type_instance = "any";
  notification_t n;

  for (int s = SETNS_NS_TYPES - 1; s >= 0; s--)
    if (e->types & ns_slot_flag((unsigned int)s))
      type_instance = ns_slot_name((unsigned int)s);
  types_list(e->types, types, sizeof(types));
  errno_name(-e->ret, result, sizeof(result));
  caller_info(e, &caller);
  notification_start(&n, g, type_instance, settings.severity);
  snprintf(message, sizeof(message),
           "%s[%u] uid %u failed to join %s namespace (fd %d, nstype %s): %s",
           caller.comm, e->pid, e->uid, types[0] ? types : "a", e->fd,
           g->nstypes, result);
  sstrncpy(n.message, message, sizeof(n.message));
  meta_add_caller(&n, g, &caller);
  plugin_notification_meta_add_string(&n, "joined", "");
  plugin_notification_meta_add_string(&n, "ns_inode_old", "");
  plugin_notification_meta_add_string(&n, "ns_inode_new", "");
  meta_add_target(&n, 0, &none);
  notification_finish(&n, DIR_NONE, result);
}

void notify_group(const struct call_group *g) {
  if (g->first.ret < 0)
    notify_failure(g);
  else
    notify_join(g);
}
