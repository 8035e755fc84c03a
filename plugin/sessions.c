/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/sessions.c
 *
 * Exec sessions (see sessions.h). The program's events may come before
 * the join that opened the session is judged (a session shorter than the
 * coalesce window ends first): each session's commands and end wait in a
 * table until it is, and those never judged (their join's event lost or
 * held back) are forgotten after SESSION_WAIT_NS.
 */
#include "sessions.h"
#include "base.h"
#include "dispatch.h"
#include "names.h"
#include "notice.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/wait.h>

#define TABLE_MAX 256
#define SESSION_WAIT_NS (10ULL * 1000000000ULL)
#define COMMAND_MAX 128   /* one command line, escaped */
#define COMMANDS_LEN 768 /* the list, in the meta data: JSON may double it */

struct origin_copy {
  char activity[16];
  uint32_t pid, uid;
  char comm[4 * SETNS_COMM_LEN + 1];
  char container_id[CONTAINER_ID_LEN + 1];
  struct container_names container;
  char target_container_id[CONTAINER_ID_LEN + 1];
  struct container_names target;
};

static struct entry {
  uint64_t id;
  uint64_t seen_ns;
  bool judged, kept, ended;
  struct origin_copy origin;
  char commands[COMMANDS_LEN];
  unsigned int commands_cut; /* commands that did not fit the list */
  struct setns_session_event end;
} table[TABLE_MAX];

static bool on; /* ExecSessions */
static struct ring_buffer *ring;
static int kept_fd = -1, sessions_fd = -1;
static uint64_t dropped;

uint64_t sessions_dropped(void) { return dropped; }

static struct entry *entry_find(uint64_t id) {
  for (int i = 0; i < TABLE_MAX; i++)
    if (table[i].id == id)
      return table + i;
  return NULL;
}

/* The oldest entry, of those not kept if any is not. */
static struct entry *entry_oldest(void) {
  struct entry *e = NULL;

  for (int i = 0; i < TABLE_MAX; i++)
    if (e == NULL || (e->kept && !table[i].kept) ||
        (e->kept == table[i].kept && table[i].seen_ns < e->seen_ns))
      e = table + i;
  return e;
}

/* A free entry for id; when none is, the oldest goes (one more session
 * not followed). */
static struct entry *entry_new(uint64_t id) {
  struct entry *e = entry_find(0);

  if (e == NULL) {
    e = entry_oldest();
    dropped++;
  }
  memset(e, 0, sizeof(*e));
  e->id = id;
  e->seen_ns = monotonic_ns();
  return e;
}

/* argv, NUL-separated, as one escaped line cut at COMMAND_MAX. */
static void command_line(const struct setns_session_event *ev, char *buf,
                         size_t size) {
  char raw[SETNS_SESSION_ARGS_LEN + 1], line[4 * SETNS_SESSION_ARGS_LEN + 1];
  size_t len = ev->args_len < SETNS_SESSION_ARGS_LEN ? ev->args_len
                                                     : SETNS_SESSION_ARGS_LEN;

  memcpy(raw, ev->args, len);
  while (len > 0 && raw[len - 1] == '\0')
    len--;
  for (size_t i = 0; i < len; i++)
    if (raw[i] == '\0')
      raw[i] = ' ';
  raw[len] = '\0';
  escape_item(raw, len, line, sizeof(line));
  if (escaped_head(line, COMMAND_MAX - 3, buf, size) == line)
    sstrncpy(buf, line, size);
}

static void add_command(struct entry *e, const struct setns_session_event *ev) {
  char line[4 * SETNS_SESSION_ARGS_LEN + 1];

  command_line(ev, line, sizeof(line));
  if (line[0] == '\0')
    return;
  if (strlen(e->commands) + strlen(line) + 2 >= sizeof(e->commands))
    e->commands_cut++;
  else
    list_append(e->commands, sizeof(e->commands), line);
}

/* "exit 0", "signal 9" for a wait status; "unknown" before the first
 * process was seen to exit. */
static void exit_text(int status, char *buf, size_t size, int *code) {
  *code = -1;
  if (status < 0) {
    snprintf(buf, size, "exit unknown");
  } else if (WIFSIGNALED(status)) {
    *code = 128 + WTERMSIG(status);
    snprintf(buf, size, "killed by signal %d", WTERMSIG(status));
  } else {
    *code = WEXITSTATUS(status);
    snprintf(buf, size, "exit %d", *code);
  }
}

static void meta_origin(struct notice *n, const struct origin_copy *o) {
  notice_string(n, "joined_activity", o->activity);
  notice_unsigned(n, "pid", o->pid);
  notice_unsigned(n, "uid", o->uid);
  notice_string(n, "comm", o->comm);
  notice_string(n, "container_id", o->container_id);
  notice_string(n, "container_name", o->container.name);
  notice_string(n, "pod_name", o->container.pod_name);
  notice_string(n, "target_container_id", o->target_container_id);
  notice_string(n, "target_container_name", o->target.name);
  notice_string(n, "target_image", o->target.image);
  notice_string(n, "target_pod_name", o->target.pod_name);
  notice_string(n, "target_pod_namespace", o->target.pod_namespace);
}

/* "a,b,c" as "a, b, c", for a person (items have their commas escaped). */
static void list_spaced(const char *list, char *buf, size_t size) {
  size_t used = 0;

  for (; *list != '\0' && used + 3 < size; list++) {
    buf[used++] = *list;
    if (*list == ',')
      buf[used++] = ' ';
  }
  buf[used] = '\0';
}

/* The end of a kept session: one notification, okay. */
static void notify_end(const struct entry *e) {
  static struct notice n; /* 12 KiB: the event thread's alone */
  const struct setns_session_event *end = &e->end;
  char id[24], exit[32], status[12] = "", ran[NOTICE_MESSAGE_LEN];
  unsigned int left = end->commands_dropped + e->commands_cut;
  int code;

  n = (struct notice){.severity = NOTIF_OKAY,
                      .ts_ns = end->ts_ns,
                      .plugin_instance = "session",
                      .type = "operations",
                      .type_instance = "session"};
  snprintf(id, sizeof(id), "%llx", (unsigned long long)e->id);
  exit_text(end->exit_status, exit, sizeof(exit), &code);
  list_spaced(e->commands, ran, sizeof(ran));
  snprintf(n.message, sizeof(n.message),
           "session %s ended after %.1f s: %u process%s, %s; ran %s%s", id,
           (double)end->duration_ns / 1e9, end->procs,
           end->procs == 1 ? "" : "es", exit, ran[0] ? ran : "nothing",
           left ? ", ..." : "");
  notice_string(&n, "session", id);
  notice_unsigned(&n, "duration_ms", end->duration_ns / 1000000);
  if (code >= 0)
    snprintf(status, sizeof(status), "%d", code);
  notice_string(&n, "exit_status", status);
  notice_unsigned(&n, "processes", end->procs);
  notice_unsigned(&n, "processes_dropped", end->procs_dropped);
  notice_string(&n, "commands", e->commands);
  notice_unsigned(&n, "commands_dropped", left);
  meta_origin(&n, &e->origin);
  dispatch_notice(&n);
}

static void on_end(struct entry *e, const struct setns_session_event *ev) {
  if (e->ended)
    return; /* two last processes at once: the first end is it */
  e->ended = true;
  e->end = *ev;
  if (!e->kept)
    return; /* judged later, or never */
  notify_end(e);
  memset(e, 0, sizeof(*e));
}

static int on_event(void *ctx __attribute__((unused)), void *data,
                    size_t size) {
  const struct setns_session_event *ev = data;
  struct entry *e;

  if (size < sizeof(*ev) || ev->session == 0)
    return 0;
  e = entry_find(ev->session);
  if (e == NULL) /* its join may still be in the window */
    e = entry_new(ev->session);
  if (e->judged && !e->kept)
    return 0;
  if (ev->type == SETNS_SESSION_EXEC)
    add_command(e, ev);
  else if (ev->type == SETNS_SESSION_END)
    on_end(e, ev);
  return 0;
}

/* Entries whose join was never judged: forgotten after SESSION_WAIT_NS. */
static void expire(void) {
  uint64_t now = monotonic_ns();

  for (int i = 0; i < TABLE_MAX; i++)
    if (table[i].id != 0 && !table[i].judged &&
        now - table[i].seen_ns > SESSION_WAIT_NS)
      memset(table + i, 0, sizeof(table[i]));
}

int sessions_open(const struct settings *s, struct bpf_map *events,
                  struct bpf_map *sessions, struct bpf_map *kept) {
  memset(table, 0, sizeof(table));
  dropped = 0;
  on = s->exec_sessions;
  if (!on)
    return 0;
  kept_fd = bpf_map__fd(kept);
  sessions_fd = bpf_map__fd(sessions);
  ring = ring_buffer__new(bpf_map__fd(events), on_event, NULL, NULL);
  if (ring == NULL) {
    ERROR(PLUGIN_NAME " plugin: ExecSessions: cannot read %s: %s",
          bpf_map__name(events), STRERRNO);
    return -1;
  }
  return 0;
}

int sessions_poll(void) {
  int err;

  if (ring == NULL)
    return 0;
  err = ring_buffer__consume(ring);
  expire();
  return err < 0 ? err : 0;
}

void sessions_close(void) {
  ring_buffer__free(ring);
  ring = NULL;
  on = false;
  kept_fd = sessions_fd = -1;
  memset(table, 0, sizeof(table));
}

static void origin_copy(struct origin_copy *c, const struct session_origin *o) {
  sstrncpy(c->activity, o->activity, sizeof(c->activity));
  c->pid = o->pid;
  c->uid = o->uid;
  sstrncpy(c->comm, o->comm, sizeof(c->comm));
  sstrncpy(c->container_id, o->container_id, sizeof(c->container_id));
  c->container = *o->container;
  sstrncpy(c->target_container_id, o->target_container_id,
           sizeof(c->target_container_id));
  c->target = *o->target;
}

void sessions_judged(uint64_t id, bool keep, const struct session_origin *o) {
  uint32_t one = 1;
  struct entry *e;

  if (!on || id == 0)
    return;
  e = entry_find(id);
  if (!keep) {
    /* the program forgets its processes as they next fork, exec or exit */
    if (e == NULL || !e->kept) {
      bpf_map_delete_elem(sessions_fd, &id);
      if (e != NULL)
        memset(e, 0, sizeof(*e));
    }
    return;
  }
  if (e == NULL)
    e = entry_new(id);
  if (e->kept)
    return; /* a later group of the same process */
  bpf_map_update_elem(kept_fd, &id, &one, BPF_ANY);
  e->judged = e->kept = true;
  origin_copy(&e->origin, o);
  if (e->ended) {
    notify_end(e);
    memset(e, 0, sizeof(*e));
  }
}
