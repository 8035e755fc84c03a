/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The events, with notifications on: which calls are wanted, the entry
 * record of where the caller was before the call, and the filling and
 * sending of one event per call. The pairing of entry and exit is here
 * because it exists for the event alone: the entry hooks are loaded with
 * notifications only, and what they record is the event's ns_old.
 */
#ifndef SETNS_EVENTS_BPF_H
#define SETNS_EVENTS_BPF_H

#include "budget.bpf.h"
#include "compat.bpf.h"
#include "counts.bpf.h"
#include "sessions.bpf.h"
#include "setns.h"
#include "task.bpf.h"
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/* Send events (and load the entry hooks). */
const volatile bool notify = false;
/* The plugin's NamespaceType and NotifyFailures, applied here so that a
 * call nobody wants notified costs no event. */
const volatile unsigned int notify_types = ~0U;
const volatile bool notify_failures = false;
/* Events each CPU queues between two wakeups of the consumer. */
#define WAKEUP_EVERY 512

/* The namespaces of each thread inside setns, from entry to exit. A
 * record is this call's only if it was made since the last pause was
 * lifted (pause_seq), by this uid: exits skip clearing it while paused,
 * and a pause lasts until the interval ends (its uid's, unless the thread
 * changes uid). */
struct ns_set {
	u32 inum[SETNS_NS_TYPES];
	u32 seq1; /* pause_seq + 1 at entry, 0 once used */
	u32 uid;
};

/* Task local storage: a lookup costs a fraction of a hash update and
 * delete, which were most of the entry/exit pairing's cost. Before 5.12
 * the plugin makes it a hash keyed by thread id. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct ns_set);
} setns_entries SEC(".maps");

/* This thread's entry in setns_entries; created at entry only. */
static __always_inline struct ns_set *thread_entry(bool create)
{
	static const struct ns_set empty;

	return thread_value(&setns_entries, &empty, create);
}

/* Entry hooks, loaded with notifications only: remember where the thread
 * was before the call, for the exit hook. Nothing to do when no event can
 * be sent: paused, or a type that is not notified (nstype 0 may be any). */
static __always_inline int note_entry(int nstype)
{
	struct ns_set *set;

	if (paused() || (nstype && !(nstype & notify_types)))
		return 0;
	set = thread_entry(true);
	if (set) {
		read_namespaces(set->inum);
		set->seq1 = pause_seq + 1;
		set->uid = current_uid();
	}
	return 0;
}

/* Whether set was recorded by this call's entry (see struct ns_set). */
static __always_inline bool entry_current(struct ns_set *set)
{
	return set && set->seq1 == pause_seq + 1 &&
	       set->uid == current_uid();
}

/* The namespaces noted at entry, zero when the entry was not seen. */
static __always_inline void take_entry(struct ns_set *set, u32 *inum)
{
	if (entry_current(set))
		__builtin_memcpy(inum, set->inum, sizeof(set->inum));
	else
		__builtin_memset(inum, 0, sizeof(set->inum));
}

/* At every exit with notifications on but those paused, whether an event
 * was sent or not: a hash entry left behind would fill the map, and a
 * record left current could be taken by a later call whose entry was not
 * seen (a run the kernel skipped). */
static __always_inline void release_entry(struct ns_set *set)
{
	if (thread_value_delete(&setns_entries))
		return;
	if (set)
		set->seq1 = 0; /* task local storage stays: marked used */
}

/* The plugin's type and failure filters: a failure with nstype 0 is
 * of no known type and passes the type filter. */
static __always_inline bool wanted(long ret, int nstype, u32 types)
{
	if (ret < 0)
		return notify_failures && (!nstype || (nstype & notify_types));
	return types & notify_types;
}

static __always_inline void fill_event(struct setns_event *e, long ret, int fd,
				       int nstype, u32 types,
				       struct ns_set *set)
{
	u64 id = bpf_get_current_pid_tgid();
	u64 ugid = bpf_get_current_uid_gid();
	u32 tid = (u32)id;

	e->ts_ns = bpf_ktime_get_ns();
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->pid = id >> 32;
	e->tid = tid;
	e->ppid = parent_tgid();
	e->uid = (u32)ugid;
	e->gid = ugid >> 32;
	e->fd = fd;
	e->nstype = nstype;
	e->ret = ret;
	e->types = types;
	take_entry(set, e->ns_old);
	read_root(e);
	read_namespaces(e->ns_new);
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	read_lineage(e);
	read_cgroup_names(e);
}

/* Reserve, fill, submit; a full buffer costs one event, counted.
 *
 * Waking the consumer costs more than everything else here, and the
 * default (wake it whenever it has caught up) does it for nearly every
 * event, since it keeps up; asking the ring how full it is costs almost as
 * much (the consumer's position is a cache line on another CPU). So the
 * consumer polls every 50 ms and each CPU wakes it once every
 * WAKEUP_EVERY events, counted per CPU: far less than the ring holds. */
static __always_inline void send_event(void *ctx, long ret, int fd, int nstype,
				       u32 types, struct ns_set *set, bool wake)
{
	u32 slot = SETNS_SLOT_EVENTS_SENT;
	/* a join's event names the session it opened (or is in) */
	u64 session = sessions_on && ret >= 0 ? session_open() : 0;
	struct setns_event *e;
	u64 *sent;

	if (!use_ringbuf) {
		u32 zero = 0;

		e = bpf_map_lookup_elem(&setns_scratch, &zero);
		if (!e)
			return;
		fill_event(e, ret, fd, nstype, types, set);
		e->session = session;
		/* Every failure is counted here: the perf ring's own lost
		 * records come only with a later event, if any. */
		if (bpf_perf_event_output(ctx, &setns_events, BPF_F_CURRENT_CPU,
					  e, sizeof(*e)))
			bump(&setns_counts, SETNS_SLOT_EVENTS_LOST);
		return;
	}
	e = bpf_ringbuf_reserve(&setns_events, sizeof(*e), 0);
	if (!e) {
		bump(&setns_counts, SETNS_SLOT_EVENTS_LOST);
		return;
	}
	fill_event(e, ret, fd, nstype, types, set);
	e->session = session;
	sent = bpf_map_lookup_elem(&setns_counts, &slot);
	if ((sent && (++*sent % WAKEUP_EVERY) == 0) || wake)
		bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	else
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
}

#endif /* SETNS_EVENTS_BPF_H */
