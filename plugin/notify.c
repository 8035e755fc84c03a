/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/notify.c
 *
 * From a judged group of calls (judge.c) to a notification: the message
 * for a person and the meta data for programs, handed to dispatch.c.
 */
#include "notify.h"
#include "base.h"
#include "dispatch.h"
#include "judge.h"
#include "notice.h"
#include "sessions.h"

/* "container web-1 (image nginx:1.25, pod default/web-5d9f)" when its
 * runtime names it, else "container 3f2a9c1e4b5d". */
static void container_label(const struct process_info *p, char *buf,
                            size_t size) {
  const struct container_names *n = &p->names;
  char pod[2 * RUNTIME_NAME_LEN + 8] = "";

  if (n->name[0] == '\0') {
    snprintf(buf, size, "container %.*s", container_id_shown(p->container),
             p->container);
    return;
  }
  if (n->pod_name[0])
    snprintf(pod, sizeof(pod), "%spod %s%s%s", n->image[0] ? ", " : "",
             n->pod_namespace, n->pod_namespace[0] ? "/" : "", n->pod_name);
  snprintf(buf, size, "container %s%s%s%s%s%s", n->name,
           n->image[0] || pod[0] ? " (" : "", n->image[0] ? "image " : "",
           n->image, pod, n->image[0] || pod[0] ? ")" : "");
}

/* " of the host", " of nginx[987] (container 3f2a9c1e4b5d)",
 * " of nginx[987] in container web-1 (image nginx:1.25)", ... */
static void message_whose(const struct join_notice *jn, char *buf,
                          size_t size) {
  const struct process_info *t = &jn->target;
  bool back = jn->dir == DIR_SAME && jn->primary->old != jn->primary->new;
  char label[NOTICE_MESSAGE_LEN];

  buf[0] = '\0';
  container_label(t, label, sizeof(label));
  if (jn->target_on_host) /* an escape into a host process's namespace */
    snprintf(buf, size, " of host process %s[%d]", t->comm,
             (int)jn->target_pid);
  else if (jn->dir == DIR_C2H || back)
    snprintf(buf, size, " of the host");
  else if (jn->target_pid != 0 && t->container[0])
    snprintf(buf, size,
             t->names.name[0] ? " of %s[%d] in %s" : " of %s[%d] (%s)", t->comm,
             (int)jn->target_pid, label);
  else if (jn->target_pid != 0)
    snprintf(buf, size, " of %s[%d]", t->comm, (int)jn->target_pid);
}

/* " from the host", " from container 3f2a9c1e4b5d", ... */
static void message_from(const struct join_notice *jn, char *buf, size_t size) {
  const struct caller_info *c = &jn->caller;
  char label[NOTICE_MESSAGE_LEN];

  switch (jn->dir) {
  case DIR_H2C:
    snprintf(buf, size, " from the host");
    break;
  case DIR_C2H:
  case DIR_C2C:
    container_label(&c->p, label, sizeof(label));
    if (c->p.container[0])
      snprintf(buf, size, " from %s", label);
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
  char inode[16] = "", whose[NOTICE_MESSAGE_LEN], from[NOTICE_MESSAGE_LEN];
  char by[128];

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
/* A container's names (runtime.c) are the runtime's, of the characters it
 * allows, which JSON does not double: cut at Kubernetes' 63 bytes (an
 * image at 95). With them, the caller's cgroup keeps META_CGROUP_NAMED
 * bytes: the names say which container better than its path does. */
#define META_NAME_MAX 63
#define META_IMAGE_MAX 95
#define META_CGROUP_NAMED 96

/* The container's names, under prefix ("" or "target_"). */
static void meta_add_names(struct notice *n, const char *prefix,
                           const struct container_names *c) {
  static const char *const keys[2][4] = {
      {"container_name", "image", "pod_name", "pod_namespace"},
      {"target_container_name", "target_image", "target_pod_name",
       "target_pod_namespace"}};
  const char *const *k = keys[prefix[0] != '\0'];
  char buf[META_IMAGE_MAX + 4];

  notice_string(n, k[0], escaped_head(c->name, META_NAME_MAX, buf, sizeof(buf)));
  notice_string(n, k[1], escaped_head(c->image, META_IMAGE_MAX, buf, sizeof(buf)));
  notice_string(n, k[2],
                escaped_head(c->pod_name, META_NAME_MAX, buf, sizeof(buf)));
  notice_string(n, k[3],
                escaped_head(c->pod_namespace, META_NAME_MAX, buf, sizeof(buf)));
}

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

static void meta_add_caller(struct notice *n, const struct call_group *g,
                            const struct caller_info *c) {
  const struct setns_event *e = &g->first;
  char exe[META_EXE_MAX + 4], cgroup[META_CGROUP_MAX + 4];
  char ancestors[META_LIST_MAX + 5], nstypes[META_LIST_MAX + 5];

  notice_unsigned(n, "pid", e->pid);
  notice_unsigned(n, "tid", e->tid);
  notice_unsigned(n, "ppid", e->ppid);
  notice_unsigned(n, "uid", e->uid);
  notice_unsigned(n, "gid", e->gid);
  notice_string(n, "comm", c->p.comm);
  notice_string(n, "exe", escaped_tail(c->exe, META_EXE_MAX, exe, sizeof(exe)));
  notice_string(n, "ancestors",
                meta_list(c->ancestors, ancestors, sizeof(ancestors)));
  notice_string(n, "runtime", c->runtime);
  notice_string(n, "fd", g->fds);
  notice_string(n, "nstype", meta_list(g->nstypes, nstypes, sizeof(nstypes)));
  notice_string(
      n, "cgroup",
      escaped_tail(c->p.cgroup,
                   c->p.names.name[0] ? META_CGROUP_NAMED : META_CGROUP_MAX,
                   cgroup, sizeof(cgroup)));
  notice_string(n, "container_id", c->p.container);
  notice_string(n, "pod_uid", c->p.pod);
  meta_add_names(n, "", &c->p.names);
}

/* The joined types and both inode lists, in call order. */
static void meta_add_joins(struct notice *n, const struct join_notice *jn) {
  const struct call_group *g = jn->g;
  char olds[LIST_LEN] = "", news[LIST_LEN] = "", num[16];

  for (int i = 0; i < g->njoins; i++) {
    snprintf(num, sizeof(num), "%u", g->joins[i].old);
    list_append(olds, sizeof(olds), num);
    snprintf(num, sizeof(num), "%u", g->joins[i].new);
    list_append(news, sizeof(news), num);
  }
  notice_string(n, "joined", jn->joined);
  notice_string(n, "ns_inode_old", olds);
  notice_string(n, "ns_inode_new", news);
}

static void meta_add_target(struct notice *n, pid_t target_pid,
                            const struct process_info *target) {
  char pid[16] = "";

  if (target_pid != 0)
    snprintf(pid, sizeof(pid), "%d", (int)target_pid);
  notice_string(n, "target_pid", pid);
  notice_string(n, "target_comm", target->comm);
  notice_string(n, "target_container_id", target->container);
  notice_string(n, "target_pod_uid", target->pod);
  meta_add_names(n, "target_", &target->names);
}

/* Escapes are failures whatever the configuration; what every container
 * start makes is okay; the rest as NotificationSeverity says. */
static int activity_severity(enum activity activity, int configured) {
  if (activity == ACT_ESCAPE)
    return NOTIF_FAILURE;
  if (activity == ACT_START || activity == ACT_PLUMBING ||
      activity == ACT_RETURN)
    return NOTIF_OKAY;
  return configured;
}

/* plugin_instance is the activity: consumers that see only the names,
 * not the meta data, can still tell an escape from an exec (Alertmanager
 * routes on labels, and write_http makes labels of these fields only). */
static void notification_start(struct notice *n, const struct call_group *g,
                               const struct settings *s, enum activity activity,
                               const char *type_instance) {
  n->severity = activity_severity(activity, s->severity);
  n->ts_ns = g->first.ts_ns;
  n->nmeta = 0;
  n->used = 0;
  sstrncpy(n->plugin_instance, activity_names[activity],
           sizeof(n->plugin_instance));
  sstrncpy(n->type, "operations", sizeof(n->type));
  sstrncpy(n->type_instance, type_instance, sizeof(n->type_instance));
}

/* The last meta keys, then into collectd. */
static void notification_finish(struct notice *n, enum direction dir,
                                enum activity activity, const char *result) {
  notice_string(n, "direction", direction_names[dir]);
  notice_string(n, "activity", activity_names[activity]);
  notice_string(n, "result", result);
  dispatch_notice(n);
}

/* An exec, an enter, an escape or lateral movement: what a person would
 * want to follow to its end (ExecSessions). */
static bool session_worth(enum activity a) {
  return a == ACT_EXEC || a == ACT_ENTER || a == ACT_ESCAPE || a == ACT_LATERAL;
}

/* The group's session kept, with who opened it, or discarded. */
static void session_judge(const struct join_notice *jn, bool keep) {
  const struct session_origin o = {.activity = activity_names[jn->activity],
                                   .pid = jn->g->first.pid,
                                   .uid = jn->g->first.uid,
                                   .comm = jn->caller.p.comm,
                                   .container_id = jn->caller.p.container,
                                   .container = &jn->caller.p.names,
                                   .target_container_id = jn->target.container,
                                   .target = &jn->target.names};

  sessions_judged(jn->g->first.session, keep, &o);
}

static void notify_join(const struct call_group *g, const struct settings *s,
                        notify_allow allow) {
  struct join_notice jn = {.g = g};
  char session[24] = "";
  struct notice n;
  bool keep;

  judge_join(&jn);
  if ((jn.activity != ACT_ESCAPE && !(s->activities & (1U << jn.activity))) ||
      !allow(g->first.uid, jn.activity == ACT_ESCAPE)) {
    session_judge(&jn, false);
    return;
  }
  keep =
      s->exec_sessions && g->first.session != 0 && session_worth(jn.activity);
  if (keep)
    snprintf(session, sizeof(session), "%llx", g->first.session);
  for (int i = 0; i < g->njoins; i++)
    list_append(jn.joined, sizeof(jn.joined), ns_slot_name(g->joins[i].slot));
  notification_start(&n, g, s, jn.activity, ns_slot_name(jn.primary->slot));
  message_join(&jn, n.message, sizeof(n.message));
  meta_add_caller(&n, g, &jn.caller);
  meta_add_joins(&n, &jn);
  meta_add_target(&n, jn.target_pid, &jn.target);
  notice_string(&n, "session", session);
  notification_finish(&n, jn.dir, jn.activity, "ok");
  session_judge(&jn, keep); /* after: its end comes after its start */
}

/* A failed call: never grouped, named after the type asked for ("any" for
 * nstype 0, where the kernel refused before knowing). */
static void notify_failure(const struct call_group *g, const struct settings *s,
                           notify_allow allow) {
  const struct setns_event *e = &g->first;
  struct caller_info caller = {.runtime = ""};
  struct process_info none = {.comm = ""};
  char types[LIST_LEN], result[DATA_MAX_NAME_LEN], message[1024];
  const char *type_instance = "any";
  struct notice n;

  if (!allow(e->uid, false))
    return;
  for (int s = SETNS_NS_TYPES - 1; s >= 0; s--)
    if (e->types & ns_slot_flag((unsigned int)s))
      type_instance = ns_slot_name((unsigned int)s);
  types_list(e->types, types, sizeof(types));
  errno_name(-e->ret, result, sizeof(result));
  judge_caller(g, &caller);
  notification_start(&n, g, s, ACT_FAILED, type_instance);
  snprintf(message, sizeof(message),
           "failed: %s[%u] uid %u failed to join %s namespace (fd %d, nstype "
           "%s): %s",
           caller.p.comm, e->pid, e->uid, types[0] ? types : "a", e->fd,
           g->nstypes, result);
  sstrncpy(n.message, message, sizeof(n.message));
  meta_add_caller(&n, g, &caller);
  notice_string(&n, "joined", "");
  notice_string(&n, "ns_inode_old", "");
  notice_string(&n, "ns_inode_new", "");
  meta_add_target(&n, 0, &none);
  notice_string(&n, "session", "");
  notification_finish(&n, DIR_NONE, ACT_FAILED, result);
}

void notify_group(const struct call_group *g, const struct settings *s,
                  notify_allow allow) {
  if (g->first.ret < 0)
    notify_failure(g, s, allow);
  else
    notify_join(g, s, allow);
}
