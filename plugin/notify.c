/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/notify.c
 *
 * From a group of calls to a collectd notification: the direction of the
 * join, the message, the meta data, every string escaped.
 */
#include "notify.h"
#include "activity.h"
#include "base.h"
#include "names.h"
#include "procfs.h"
#include "residents.h"
#include "settings.h"

#include <time.h>

/* A process as a notification shows it: from the event, /proc and
 * cgroupfs, every string escaped. */
struct process_info {
  char comm[4 * SETNS_COMM_LEN + 1];
  char cgroup[4 * PATH_MAX + 1];
  char container[CONTAINER_ID_LEN + 1];
  char pod[POD_ID_LEN + 1];
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
/* The caller's namespace of a slot before the group: as the entry hook saw
 * it, or, when it did not (events paused at entry), as it still is after,
 * for a type the group did not join; 0 when unknown. */
static uint32_t ns_before(const struct call_group *g, int slot) {
  if (g->first.ns_old[slot] != 0)
    return g->first.ns_old[slot];
  return g->types & ns_slot_flag((unsigned int)slot) ? 0
                                                     : g->first.ns_new[slot];
}

static bool caller_in_container(const struct call_group *g,
                                const char *container) {
  uint32_t mnt = ns_before(g, SETNS_SLOT_MNT),
           pid = ns_before(g, SETNS_SLOT_PID);

  return container[0] || ns_outside_host(mnt, pid);
}

/* From a container, the host's side is more than PID 1's namespaces: any
 * namespace a process on the host lives in (a service's private mount
 * namespace gives the host's files as well as PID 1's does; *host is that
 * process), and any mount namespace whose root is the host's, even with
 * nobody left in it. */
static bool host_side(const struct join_notice *jn, const struct join *j,
                      pid_t *host) {
  if (j->new == host_ns[j->slot])
    return true;
  *host = resident_host(j->slot, j->new, (pid_t)jn->g->first.pid);
  return *host != 0 || j->host_root;
}

/* Whether the caller was in the host's mount and pid namespaces before the
 * group's first call. */
static bool caller_from_host(const struct call_group *g) {
  return ns_before(g, SETNS_SLOT_MNT) == host_ns[SETNS_SLOT_MNT] &&
         ns_before(g, SETNS_SLOT_PID) == host_ns[SETNS_SLOT_PID];
}

/* The side the caller was on, and whether the namespace joined is the
 * host's: a host process going back into the host's namespace, or
 * re-joining the namespace it is in, is "same". */
static enum direction join_direction(const struct join_notice *jn,
                                     const struct join *j, pid_t *host) {
  *host = 0;
  if (j->new == 0)
    return DIR_UNKNOWN; /* a type this kernel does not report */
  if (j->old == j->new)
    return DIR_SAME;
  if (!jn->in_container)
    return j->new == host_ns[j->slot] ? DIR_SAME : DIR_H2C;
  return host_side(jn, j, host) ? DIR_C2H : DIR_C2C;
}

/* The join that names the notification: the first with the strongest
 * direction, so that nsenter -a, which also re-joins namespaces it is
 * already in, is named after one it was not in. */
static void choose_primary(struct join_notice *jn) {
  const struct call_group *g = jn->g;

  jn->primary = g->joins;
  jn->dir = join_direction(jn, g->joins, &jn->primary_host);
  for (int i = 1; i < g->njoins; i++) {
    pid_t host;
    enum direction d = join_direction(jn, g->joins + i, &host);

    if (d > jn->dir) {
      jn->dir = d;
      jn->primary = g->joins + i;
      jn->primary_host = host;
    }
  }
}

/* The cgroup path and the container and pod it names, escaped. A cgroup
 * delegated to a user (owned by other than root) names no container: a
 * user may call it docker-<id>.scope, after a real container even, to
 * pass a join from the host for a container's start. */
static void process_cgroup(const char *raw, struct process_info *p) {
  p->container[0] = p->pod[0] = '\0';
  if (cgroup_in_container(raw)) {
    container_id(raw, p->container, sizeof(p->container));
    pod_id(raw, p->pod, sizeof(p->pod));
  }
  escape_text(raw, PATH_MAX, p->cgroup, sizeof(p->cgroup));
}

/* Any process but the caller, from /proc. */
static void process_info_read(pid_t pid, struct process_info *p) {
  char raw[PATH_MAX];

  proc_line(pid, "comm", raw, sizeof(raw));
  escape_text(raw, sizeof(raw), p->comm, sizeof(p->comm));
  proc_cgroup(pid, raw, sizeof(raw));
  process_cgroup(raw, p);
}

/* "runc:[0:PARENT][12870],runc[12860],conmon[12800]"; the first that is
 * no part of a container engine, who asked for what the caller did; and
 * whether an engine or runtime is among them. Roles by the executables the
 * kernel named, never by comms, which a process chooses. */
static void caller_lineage(const struct setns_event *e, struct caller_info *c) {
  char comm[4 * SETNS_COMM_LEN + 1], item[sizeof(comm) + 16];
  char exe[SETNS_EXE_LEN + 1];
  const char *name;

  for (int i = 0; i < SETNS_ANCESTORS && e->ancestors[i].pid != 0; i++) {
    const struct setns_ancestor *a = e->ancestors + i;
    enum role role;

    memcpy(exe, a->exe, SETNS_EXE_LEN);
    exe[SETNS_EXE_LEN] = '\0';
    role = exe[0] ? process_role(exe, "", &name) : ROLE_OTHER;
    c->engine_ancestor |= role == ROLE_ENGINE || role == ROLE_RUNTIME;
    escape_item(a->comm, sizeof(a->comm), comm, sizeof(comm));
    snprintf(item, sizeof(item), "%s[%u]", comm, a->pid);
    list_append(c->ancestors, sizeof(c->ancestors), item);
    if (c->asked_by[0] == '\0' && a->pid != 1 && role == ROLE_OTHER)
      snprintf(c->asked_by, sizeof(c->asked_by), "%s", item);
  }
}

/* "/parent/leaf" from the names the kernel gave at the call; false on a
 * host without cgroup v2, where they name the root. */
static bool kernel_cgroup(const struct setns_event *e, char *buf, size_t size) {
  char leaf[SETNS_CGROUP_NAME_LEN + 1] = "", parent[sizeof(leaf)] = "";

  memcpy(leaf, e->cgroup_leaf, SETNS_CGROUP_NAME_LEN);
  memcpy(parent, e->cgroup_parent, SETNS_CGROUP_NAME_LEN);
  if (leaf[0] == '\0' || strcmp(leaf, "/") == 0)
    return false;
  if (parent[0] == '\0' || strcmp(parent, "/") == 0)
    snprintf(buf, size, "/%s", leaf); /* a child of the root */
  else
    snprintf(buf, size, "/%s/%s", parent, leaf);
  return true;
}

/* Whether the path /proc gave is the file the kernel named at the call:
 * not another process's that took the pid, nor a path from another mount
 * namespace that the kernel shows as "/". */
static bool exe_matches(const char *path, const char *name) {
  static const char deleted[] = " (deleted)";
  const char *base = strrchr(path, '/');
  size_t len;

  if (base == NULL || name[0] == '\0')
    return false;
  base++;
  len = strlen(base);
  if (len > sizeof(deleted) - 1 &&
      strcmp(base + len - (sizeof(deleted) - 1), deleted) == 0)
    len -= sizeof(deleted) - 1;
  /* a name that filled the event's field is cut: compare what it has */
  if (strlen(name) == SETNS_EXE_LEN - 1 && len > strlen(name))
    len = strlen(name);
  return len == strlen(name) && strncmp(base, name, len) == 0;
}

/* The caller, from the event. Its cgroup by id, so that it is known after
 * the process has exited; if the cgroup is gone too, the last two names
 * the kernel gave at the call; /proc last, as it is read late. Its
 * executable as /proc showed it when the group started if that is the
 * file the kernel named, else that name. */
static void caller_info(const struct call_group *g, struct caller_info *c) {
  const struct setns_event *e = &g->first;
  char raw[PATH_MAX], exe[SETNS_EXE_LEN + 1] = "";

  escape_text(e->comm, sizeof(e->comm), c->p.comm, sizeof(c->p.comm));
  if (!cgroup_path(e->cgroup_id, raw, sizeof(raw)) &&
      !kernel_cgroup(e, raw, sizeof(raw)))
    proc_cgroup((pid_t)e->pid, raw, sizeof(raw));
  process_cgroup(raw, &c->p);
  memcpy(exe, e->exe, SETNS_EXE_LEN);
  if (exe_matches(g->exe, exe))
    escape_text(g->exe, sizeof(g->exe), c->exe, sizeof(c->exe));
  else
    escape_text(exe, sizeof(exe), c->exe, sizeof(c->exe));
  c->role = process_role(exe, e->comm, &c->runtime);
  caller_lineage(e, c);
}

/* " of the host", " of nginx[987] (container 3f2a9c1e4b5d)", ... */
static void message_whose(const struct join_notice *jn, char *buf,
                          size_t size) {
  const struct process_info *t = &jn->target;
  bool back = jn->dir == DIR_SAME && jn->primary->old != jn->primary->new;

  buf[0] = '\0';
  if (jn->target_on_host) /* an escape into a host process's namespace */
    snprintf(buf, size, " of host process %s[%d]", t->comm,
             (int)jn->target_pid);
  else if (jn->dir == DIR_C2H || back)
    snprintf(buf, size, " of the host");
  else if (jn->target_pid != 0 && t->container[0])
    snprintf(buf, size, " of %s[%d] (container %.*s)", t->comm,
             (int)jn->target_pid, container_id_shown(t->container),
             t->container);
  else if (jn->target_pid != 0)
    snprintf(buf, size, " of %s[%d]", t->comm, (int)jn->target_pid);
}

/* " from the host", " from container 3f2a9c1e4b5d", ... */
static void message_from(const struct join_notice *jn, char *buf, size_t size) {
  const struct caller_info *c = &jn->caller;

  switch (jn->dir) {
  case DIR_H2C:
    snprintf(buf, size, " from the host");
    break;
  case DIR_C2H:
  case DIR_C2C:
    if (c->p.container[0])
      snprintf(buf, size, " from container %.*s",
               container_id_shown(c->p.container), c->p.container);
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

/* "; runc, asked by bash[4100]" for an exec: the runtime, and the first
 * ancestor that is not part of the container engine. */
static void message_by(const struct join_notice *jn, char *buf, size_t size) {
  const struct caller_info *c = &jn->caller;

  buf[0] = '\0';
  if (jn->activity != ACT_EXEC)
    return;
  snprintf(buf, size, "; %s, asked by %s", c->runtime,
           c->asked_by[0] ? c->asked_by : "a client behind a socket");
}

/* One line for a person: what, who, whose, from where. The inode of a
 * single join is in it; with several, only the meta data lists them. */
static void message_join(const struct join_notice *jn, char *buf, size_t size) {
  const struct call_group *g = jn->g;
  char inode[16] = "", whose[128], from[96], by[128];

  if (g->njoins == 1)
    snprintf(inode, sizeof(inode), " %u", g->joins[0].new);
  message_whose(jn, whose, sizeof(whose));
  message_from(jn, from, sizeof(from));
  message_by(jn, by, sizeof(by));
  snprintf(buf, size, "%s: %s[%u] uid %u joined %s namespace%s%s%s%s%s",
           activity_names[jn->activity], jn->caller.p.comm, g->first.pid,
           g->first.uid, jn->joined, g->njoins > 1 ? "s" : "", inode, whose,
           from, by);
}

/* collectd 5.12's write_http formats a notification, as an Alertmanager
 * alert, into 4096 bytes, and cuts what is longer: Alertmanager refuses
 * the cut JSON and the alert is lost. A caller chooses some of its meta
 * data, and each byte of it can take two in JSON ('"' and '\\'): the
 * lists are cut after these many bytes, and its executable's path and its
 * cgroup's keep only their ends. At these lengths the longest
 * notification, every string at its longest and of '"', takes about 3.8
 * KiB (alertmanager.sh posts one). */
#define META_EXE_MAX 160
#define META_CGROUP_MAX 256
#define META_LIST_MAX 256

/* A list of items, cut after META_LIST_MAX bytes at an item's end, with
 * ",..." to say so. */
static const char *meta_list(const char *list, char *buf, size_t size) {
  size_t len = strlen(list);
  char *comma;

  if (len <= META_LIST_MAX)
    return list;
  snprintf(buf, size, "%.*s", META_LIST_MAX, list);
  comma = strrchr(buf, ',');
  snprintf(comma ? comma : buf + strlen(buf), 5, ",...");
  return buf;
}

static void meta_add_caller(notification_t *n, const struct call_group *g,
                            const struct caller_info *c) {
  const struct setns_event *e = &g->first;
  char exe[META_EXE_MAX + 4], cgroup[META_CGROUP_MAX + 4];
  char ancestors[META_LIST_MAX + 5], nstypes[META_LIST_MAX + 5];

  plugin_notification_meta_add_unsigned_int(n, "pid", e->pid);
  plugin_notification_meta_add_unsigned_int(n, "tid", e->tid);
  plugin_notification_meta_add_unsigned_int(n, "ppid", e->ppid);
  plugin_notification_meta_add_unsigned_int(n, "uid", e->uid);
  plugin_notification_meta_add_unsigned_int(n, "gid", e->gid);
  plugin_notification_meta_add_string(n, "comm", c->p.comm);
  plugin_notification_meta_add_string(
      n, "exe", escaped_tail(c->exe, META_EXE_MAX, exe, sizeof(exe)));
  plugin_notification_meta_add_string(
      n, "ancestors", meta_list(c->ancestors, ancestors, sizeof(ancestors)));
  plugin_notification_meta_add_string(n, "runtime", c->runtime);
  plugin_notification_meta_add_string(n, "fd", g->fds);
  plugin_notification_meta_add_string(
      n, "nstype", meta_list(g->nstypes, nstypes, sizeof(nstypes)));
  plugin_notification_meta_add_string(
      n, "cgroup",
      escaped_tail(c->p.cgroup, META_CGROUP_MAX, cgroup, sizeof(cgroup)));
  plugin_notification_meta_add_string(n, "container_id", c->p.container);
  plugin_notification_meta_add_string(n, "pod_uid", c->p.pod);
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
  plugin_notification_meta_add_string(n, "target_pod_uid", target->pod);
}

/* Escapes are failures whatever the configuration; what every container
 * start makes is okay; the rest as NotificationSeverity says. */
static int activity_severity(enum activity activity) {
  if (activity == ACT_ESCAPE)
    return NOTIF_FAILURE;
  if (activity == ACT_START || activity == ACT_PLUMBING ||
      activity == ACT_RETURN)
    return NOTIF_OKAY;
  return settings.severity;
}

/* plugin_instance is the activity: consumers that see only the names,
 * not the meta data, can still tell an escape from an exec (Alertmanager
 * routes on labels, and write_http makes labels of these fields only). */
static void notification_start(notification_t *n, const struct call_group *g,
                               enum activity activity,
                               const char *type_instance) {
  *n = (notification_t){.severity = activity_severity(activity),
                        .time = event_time(g->first.ts_ns)};
  sstrncpy(n->host, hostname_g, sizeof(n->host));
  sstrncpy(n->plugin, PLUGIN_NAME, sizeof(n->plugin));
  sstrncpy(n->plugin_instance, activity_names[activity],
           sizeof(n->plugin_instance));
  sstrncpy(n->type, "operations", sizeof(n->type));
  sstrncpy(n->type_instance, type_instance, sizeof(n->type_instance));
}

/* The last meta keys, then dispatch: collectd copies what it keeps. */
static void notification_finish(notification_t *n, enum direction dir,
                                enum activity activity, const char *result) {
  plugin_notification_meta_add_string(n, "direction", direction_names[dir]);
  plugin_notification_meta_add_string(n, "activity", activity_names[activity]);
  plugin_notification_meta_add_string(n, "result", result);
  plugin_dispatch_notification(n);
  plugin_notification_meta_free(n->meta);
}

static bool joined_mnt_or_pid(const struct call_group *g) {
  for (int i = 0; i < g->njoins; i++)
    if (g->joins[i].slot == SETNS_SLOT_MNT ||
        g->joins[i].slot == SETNS_SLOT_PID)
      return true;
  return false;
}

/* Who lives in the primary's namespace: for an escape into a namespace
 * other than PID 1's, the process on the host that made it the host's
 * (not a process the caller left behind there); else the lowest. */
static void join_target(struct join_notice *jn) {
  const struct join *j = jn->primary;

  jn->target_pid = jn->dir == DIR_C2H ? jn->primary_host : 0;
  jn->target_on_host = jn->target_pid != 0;
  if (jn->target_pid == 0)
    jn->target_pid = resident_find(j->slot, j->new, (pid_t)jn->g->first.pid);
  if (jn->target_pid != 0)
    process_info_read(jn->target_pid, &jn->target);
}

/* Who, where to, whose, and so what activity. */
static void join_judge(struct join_notice *jn) {
  const struct call_group *g = jn->g;
  struct join_facts f;

  caller_info(g, &jn->caller);
  jn->in_container = caller_in_container(g, jn->caller.p.container);
  choose_primary(jn);
  join_target(jn);
  f = (struct join_facts){.dir = jn->dir,
                          .caller_in_container = jn->in_container,
                          .caller_from_host = caller_from_host(g),
                          .caller_container = jn->caller.p.container,
                          .caller_pod = jn->caller.p.pod,
                          .caller_role = jn->caller.role,
                          .engine_ancestor = jn->caller.engine_ancestor,
                          .round_trip = g->round_trip,
                          .target_found = jn->target_pid != 0,
                          .joined_mnt_or_pid = joined_mnt_or_pid(g),
                          .target_container = jn->target.container,
                          .target_pod = jn->target.pod};
  jn->activity = join_activity(&f);
  /* an exec comes from the host, whatever cgroup the runtime moved to */
  if (jn->activity == ACT_EXEC)
    jn->dir = DIR_H2C;
}

static void notify_join(const struct call_group *g,
                        bool (*allow)(uint32_t, bool)) {
  struct join_notice jn = {.g = g};
  notification_t n;

  join_judge(&jn);
  if (jn.activity != ACT_ESCAPE && !(settings.activities & (1U << jn.activity)))
    return;
  if (!allow(g->first.uid, jn.activity == ACT_ESCAPE))
    return;
  for (int i = 0; i < g->njoins; i++)
    list_append(jn.joined, sizeof(jn.joined), ns_slot_name(g->joins[i].slot));
  notification_start(&n, g, jn.activity, ns_slot_name(jn.primary->slot));
  message_join(&jn, n.message, sizeof(n.message));
  meta_add_caller(&n, g, &jn.caller);
  meta_add_joins(&n, &jn);
  meta_add_target(&n, jn.target_pid, &jn.target);
  notification_finish(&n, jn.dir, jn.activity, "ok");
}

/* A failed call: never grouped, named after the type asked for ("any" for
 * nstype 0, where the kernel refused before knowing). */
static void notify_failure(const struct call_group *g,
                           bool (*allow)(uint32_t, bool)) {
  const struct setns_event *e = &g->first;
  struct caller_info caller = {.runtime = ""};
  struct process_info none = {.comm = ""};
  char types[LIST_LEN], result[DATA_MAX_NAME_LEN], message[1024];
  const char *type_instance = "any";
  notification_t n;

  if (!allow(e->uid, false))
    return;
  for (int s = SETNS_NS_TYPES - 1; s >= 0; s--)
    if (e->types & ns_slot_flag((unsigned int)s))
      type_instance = ns_slot_name((unsigned int)s);
  types_list(e->types, types, sizeof(types));
  errno_name(-e->ret, result, sizeof(result));
  caller_info(g, &caller);
  notification_start(&n, g, ACT_FAILED, type_instance);
  snprintf(message, sizeof(message),
           "failed: %s[%u] uid %u failed to join %s namespace (fd %d, nstype "
           "%s): %s",
           caller.p.comm, e->pid, e->uid, types[0] ? types : "a", e->fd,
           g->nstypes, result);
  sstrncpy(n.message, message, sizeof(n.message));
  meta_add_caller(&n, g, &caller);
  plugin_notification_meta_add_string(&n, "joined", "");
  plugin_notification_meta_add_string(&n, "ns_inode_old", "");
  plugin_notification_meta_add_string(&n, "ns_inode_new", "");
  meta_add_target(&n, 0, &none);
  notification_finish(&n, DIR_NONE, ACT_FAILED, result);
}

bool notify_may_escape(const struct call_group *g) {
  char raw[PATH_MAX] = "", id[CONTAINER_ID_LEN + 1] = "";
  bool into_host = false;

  for (int i = 0; i < g->njoins && !into_host; i++)
    into_host = (g->joins[i].new == host_ns[g->joins[i].slot] ||
                 g->joins[i].host_root) &&
                g->joins[i].old != g->joins[i].new;
  if (!into_host)
    return false;
  if (kernel_cgroup(&g->first, raw, sizeof(raw)))
    container_id(raw, id, sizeof(id));
  return caller_in_container(g, id);
}

void notify_group(const struct call_group *g, bool (*allow)(uint32_t, bool)) {
  if (g->first.ret < 0)
    notify_failure(g, allow);
  else
    notify_join(g, allow);
}
