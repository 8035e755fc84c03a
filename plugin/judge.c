/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/judge.c
 *
 * The caller, the target and the activity of a group of calls (see
 * judge.h), from the event first and /proc and cgroupfs after.
 */
#include "judge.h"
#include "base.h"
#include "containers.h"
#include "procfs.h"
#include "residents.h"

/* The caller's namespace of a slot before the group: as the entry hook saw
 * it, or, when it did not (events paused at entry), as it still is after,
 * for a type the group did not join; 0 when unknown. */
static uint32_t ns_before(const struct call_group *g, int slot) {
  if (g->first.ns_old[slot] != 0)
    return g->first.ns_old[slot];
  return g->types & ns_slot_flag((unsigned int)slot) ? 0
                                                     : g->first.ns_new[slot];
}

/* Whether the caller was in a container before the group's first call:
 * its cgroup names one, or both its mount and pid namespaces were not the
 * host's. A host process alone in a private mount namespace (systemd's
 * PrivateTmp) or visiting another network namespace (ip netns add, CNI
 * plugins) is on the host. */
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
  containers_names(p->container, &p->names);
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
void judge_caller(const struct call_group *g, struct caller_info *c) {
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
void judge_join(struct join_notice *jn) {
  const struct call_group *g = jn->g;
  struct join_facts f;

  judge_caller(g, &jn->caller);
  jn->in_container = caller_in_container(g, jn->caller.p.container);
  choose_primary(jn);
  join_target(jn);
  /* A host process that made the namespace the host's side, gone (or
   * moved) by the time it was read, as a runtime's short-lived helper in a
   * container's new network namespace is: the joins are judged again,
   * once, without it. A namespace no host process lives in is no longer
   * the host's side; the join is still notified. */
  if (jn->target_on_host &&
      ns_inode(jn->target_pid, jn->primary->slot) != jn->primary->new) {
    memset(&jn->target, 0, sizeof(jn->target));
    choose_primary(jn);
    join_target(jn);
  }
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

void judge_remember(const struct setns_event *e) {
  char raw[PATH_MAX] = "", id[CONTAINER_ID_LEN + 1] = "";
  struct container_names names;

  if (!cgroup_path(e->cgroup_id, raw, sizeof(raw)) &&
      !kernel_cgroup(e, raw, sizeof(raw)))
    return;
  if (cgroup_in_container(raw) && container_id(raw, id, sizeof(id)))
    containers_names(id, &names);
}

bool judge_may_escape(const struct call_group *g) {
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
