/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * ExecSessions, the program's side: what happened after a join. A
 * process's first successful join opens a session; every process it forks
 * from then on belongs to it (fork), each program one of them runs is an
 * event (exec), and when the last of them exits the session ends (exit).
 * The three hooks run for every process on the host and return at once
 * for one that is in no session: one hash lookup.
 *
 * Which joins deserve a session is the plugin's judgement (an exec, an
 * enter, an escape, lateral movement), made a window after the call: by
 * then a short session may be over. So every join opens one, and the
 * plugin keeps the sessions it notified and discards the others
 * (plugin/sessions.c). One it never judged (its event lost or held back)
 * stops taking in processes after SESSION_UNJUDGED_NS, and ends like any
 * other. Everything is bounded: sessions (SESSIONS_MAX), processes
 * (SETNS_SESSION_PROCS_MAX per session, SESSION_PIDS_MAX in all) and
 * commands (session_commands); what is left out is counted.
 */
#ifndef SETNS_SESSIONS_BPF_H
#define SETNS_SESSIONS_BPF_H

#include "counts.bpf.h"
#include "setns.h"
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

/* ExecSessions, and MaxSessionCommands: the exec events of a session. */
const volatile bool sessions_on = false;
const volatile unsigned int session_commands = 16;

#define SESSIONS_MAX 1024
#define SESSION_PIDS_MAX 16384
#define SESSION_UNJUDGED_NS (2ULL * 1000000000ULL)

/* A session's id: when it opened, in ns, and on which CPU (the low
 * byte), so unique on the host without an atomic whose result the program
 * reads (BPF_FETCH, Linux 5.12). */
static __always_inline u64 session_id(void)
{
	return bpf_ktime_get_ns() << 8 | (bpf_get_smp_processor_id() & 0xff);
}

struct session {
	u64 start_ns;
	u32 leader; /* the process that joined */
	int leader_exit;
	u32 live;
	u32 procs;
	u32 procs_dropped;
	u32 commands;
	u32 commands_dropped;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SESSIONS_MAX);
	__type(key, u64);
	__type(value, struct session);
} setns_sessions SEC(".maps");

/* Each process's session, by thread group id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SESSION_PIDS_MAX);
	__type(key, u32);
	__type(value, u64);
} setns_session_pids SEC(".maps");

/* The sessions the plugin keeps (notified): written by the plugin, so
 * that the program's own counts in struct session are never overwritten. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SESSIONS_MAX);
	__type(key, u64);
	__type(value, u32);
} setns_session_kept SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} setns_session_events SEC(".maps");

/* The session a joining process is in: its own, or a new one (also when
 * the plugin discarded the one it was in). */
static __always_inline u64 session_open(void)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct session s = { .leader = tgid, .leader_exit = -1, .live = 1,
			     .procs = 1 };
	u64 *in = bpf_map_lookup_elem(&setns_session_pids, &tgid), id;

	if (in && bpf_map_lookup_elem(&setns_sessions, in))
		return *in;
	id = session_id();
	s.start_ns = id >> 8;
	if (bpf_map_update_elem(&setns_sessions, &id, &s, BPF_NOEXIST)) {
		bump(&setns_counts, SETNS_SLOT_SESSIONS_DROPPED);
		return 0;
	}
	if (bpf_map_update_elem(&setns_session_pids, &tgid, &id, BPF_ANY)) {
		bpf_map_delete_elem(&setns_sessions, &id);
		bump(&setns_counts, SETNS_SLOT_SESSIONS_DROPPED);
		return 0;
	}
	return id;
}

/* A session the plugin has not kept yet, past the time it takes to judge
 * one: it takes in no more processes and sends no more commands. */
static __always_inline bool session_stale(struct session *s, u64 *id)
{
	return bpf_ktime_get_ns() - s->start_ns > SESSION_UNJUDGED_NS &&
	       !bpf_map_lookup_elem(&setns_session_kept, id);
}

static __always_inline struct session *session_of(u32 tgid, u64 *id)
{
	u64 *in = bpf_map_lookup_elem(&setns_session_pids, &tgid);
	struct session *s;

	if (!in)
		return NULL;
	*id = *in;
	s = bpf_map_lookup_elem(&setns_sessions, id);
	if (!s) /* discarded by the plugin, or ended: forget the process */
		bpf_map_delete_elem(&setns_session_pids, &tgid);
	return s;
}

static __always_inline int session_fork(u32 parent, u32 child)
{
	struct session *s;
	u64 id;

	if (parent == child) /* a thread */
		return 0;
	s = session_of(parent, &id);
	if (!s || session_stale(s, &id))
		return 0;
	if (s->procs >= SETNS_SESSION_PROCS_MAX ||
	    bpf_map_update_elem(&setns_session_pids, &child, &id, BPF_NOEXIST)) {
		__sync_fetch_and_add(&s->procs_dropped, 1);
		bump(&setns_counts, SETNS_SLOT_SESSION_PROCS_DROPPED);
		return 0;
	}
	__sync_fetch_and_add(&s->live, 1);
	__sync_fetch_and_add(&s->procs, 1);
	return 0;
}

static __always_inline struct setns_session_event *session_event(u32 type,
								 u64 id,
								 u32 tgid)
{
	struct setns_session_event *e;

	e = bpf_ringbuf_reserve(&setns_session_events, sizeof(*e), 0);
	if (!e) {
		bump(&setns_counts, SETNS_SLOT_SESSION_EVENTS_LOST);
		return NULL;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->type = type;
	e->session = id;
	e->pid = tgid;
	return e;
}

/* The program a process of the session runs: its argv, as it is on the
 * new program's stack. */
static __always_inline int session_exec(struct task_struct *p)
{
	struct setns_session_event *e;
	unsigned long start, end;
	struct session *s;
	u32 tgid = p->tgid, len;
	u64 id;

	s = session_of(tgid, &id);
	if (!s || session_stale(s, &id))
		return 0;
	/* a bound, not an exact count: two CPUs may both pass it at once */
	if (s->commands >= session_commands) {
		__sync_fetch_and_add(&s->commands_dropped, 1);
		return 0;
	}
	__sync_fetch_and_add(&s->commands, 1);
	e = session_event(SETNS_SESSION_EXEC, id, tgid);
	if (!e)
		return 0;
	start = BPF_CORE_READ(p, mm, arg_start);
	end = BPF_CORE_READ(p, mm, arg_end);
	len = end > start ? end - start : 0;
	if (len > SETNS_SESSION_ARGS_LEN - 1)
		len = SETNS_SESSION_ARGS_LEN - 1;
	len &= SETNS_SESSION_ARGS_LEN - 1; /* a bound the verifier sees */
	e->args_len = 0;
	if (len && !bpf_probe_read_user(e->args, len, (void *)start))
		e->args_len = len;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* A process of the session exits; the last one ends it. */
static __always_inline int session_exit(struct task_struct *p)
{
	struct setns_session_event *e;
	u32 tgid = p->tgid;
	struct session *s;
	u64 id;

	if (p->pid != tgid) /* a thread; the process ends with its leader */
		return 0;
	s = session_of(tgid, &id);
	if (!s)
		return 0;
	bpf_map_delete_elem(&setns_session_pids, &tgid);
	if (tgid == s->leader)
		s->leader_exit = p->exit_code;
	/* Two last processes exiting at once may both see 0 and both end
	 * it: the plugin takes the first end only. */
	__sync_fetch_and_add(&s->live, -1);
	if (s->live != 0)
		return 0;
	e = session_event(SETNS_SESSION_END, id, tgid);
	if (e) {
		e->exit_status = s->leader_exit;
		e->duration_ns = e->ts_ns - s->start_ns;
		e->procs = s->procs;
		e->procs_dropped = s->procs_dropped;
		e->commands = s->commands;
		e->commands_dropped = s->commands_dropped;
		e->args_len = 0;
		bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	}
	bpf_map_delete_elem(&setns_sessions, &id);
	bpf_map_delete_elem(&setns_session_kept, &id);
	return 0;
}

#endif /* SETNS_SESSIONS_BPF_H */
