/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The per-uid event budget and the pause, the program's side. While the
 * interval's notifications are used up (events_paused), or one uid's share
 * of them (paused_uid), every call, or every call of that uid, sends no
 * event: each is counted as suppressed, and a flood costs what counting
 * costs. A uid that has sent its budget of events in an interval
 * (uid_event_budget) pauses itself here, before the plugin could have read
 * them. One exemption: a join into a host namespace may be an escape,
 * which no flood may hide (possible_escape).
 *
 * The plugin's side of the same protocol is plugin/budget.c: it owns the
 * same .bss variables from user space (events_paused, paused_uid,
 * interval_seq and pause_seq, in the skeleton's memory-mapped .bss), and reckons
 * uid_event_budget, which the program gets before load.
 */
#ifndef SETNS_BUDGET_BPF_H
#define SETNS_BUDGET_BPF_H

#include "setns.h"
#include "task.bpf.h"
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/* Set by the plugin while this interval's notifications are used up: a
 * flood then costs what counting costs. Each call is counted instead as
 * one suppressed notification. */
volatile bool events_paused = false;
/* Set by the plugin while one uid (stored plus one; 0: none) has used its
 * share of the interval's notifications: its calls are counted as
 * suppressed, other uids' still send events. */
volatile unsigned int paused_uid = 0;
/* The host's namespaces by slot, set by the plugin after load: a join
 * into one of them is sent even while paused, as it may be an escape,
 * which no flood may hide. 0: unknown. */
unsigned int host_ns[SETNS_NS_TYPES];
/* Events one uid may send in an interval before the program pauses its
 * events itself, as the plugin would once it had read them: the plugin
 * reads every 50 ms, and a flood would send every call's event until
 * then. Set by the plugin to a multiple of a uid's share of notifications
 * (a notification may group several calls); 0: no budget. */
const volatile unsigned int uid_event_budget = 0;
/* Bumped by the plugin at every read: while paused, a thread's joins into
 * a host namespace send one event per type and interval (see
 * possible_escape). */
volatile unsigned int interval_seq = 0;
/* Bumped by the plugin when it lifts a pause: the entry records older
 * than that are void (see struct ns_set). Not at every read: a call whose
 * entry and exit straddle a read would lose the namespaces it left. */
volatile unsigned int pause_seq = 0;

/* The thread that last sent a possible escape on this CPU while paused,
 * and the host namespace types it sent this interval (see
 * possible_escape). The bits are gathered here, not in a register, where
 * each of the 2^8 combinations of types would be a verifier state of its
 * own (the program took seconds to load): map memory is not tracked. */
struct host_sent {
	u64 start_time; /* with tid, the task: a tid can be reused */
	u32 tid;
	u32 seq;
	u32 types;
	u32 bits; /* host_types_entered's work */
};

/* One per CPU (CPUs beyond SETNS_HOST_SENT_SLOTS share), in .bss beside
 * the pause flags rather than in a per-CPU map of its own: the paused path
 * reads them together, and where every syscall empties the TLB a map
 * more is two pages more to walk to. A slot shared, or written by two
 * programs at once, only makes a thread send again. */
#define SETNS_HOST_SENT_SLOTS 64
static struct host_sent host_sent[SETNS_HOST_SENT_SLOTS];

/* Events sent this interval (interval_seq) per uid, for uid_event_budget;
 * sized by the plugin. A uid that finds it full has no budget. */
struct uid_sent {
	u32 seq;
	u32 sent;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct uid_sent);
} setns_uid_sent SEC(".maps");

/* Whether this call's event is held back: every uid's while the interval's
 * notifications are used up, one uid's while it has used its share. */
static __always_inline bool paused(void)
{
	u32 uid1;

	if (events_paused)
		return true;
	uid1 = paused_uid;
	return uid1 && current_uid() + 1 == uid1;
}

/* Whether the caller's uid has sent its budget of events this interval:
 * then its events are paused here and now, as the plugin does it
 * (plugin/budget.c, pause_kernel): this uid's, or everyone's when another
 * uid's are paused already. */
static __always_inline void pause_uid(u32 uid)
{
	if (!paused_uid)
		paused_uid = uid + 1;
	else if (paused_uid != uid + 1)
		events_paused = true;
}

/* The call that uses the budget up pauses at once and wakes the plugin
 * (*wake) with its event, so that the entry hooks are detached now rather
 * than at the plugin's next poll. The count is a budget, not an exact
 * number: CPUs racing on it may send a few more. Not inlined: its paths
 * would multiply the verifier's states of all that follows. */
static __noinline bool over_budget(bool *wake)
{
	u32 uid = current_uid(), seq = interval_seq;
	struct uid_sent *s, fresh = {.seq = seq};

	if (!uid_event_budget)
		return false;
	s = bpf_map_lookup_elem(&setns_uid_sent, &uid);
	if (!s) {
		bpf_map_update_elem(&setns_uid_sent, &uid, &fresh, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&setns_uid_sent, &uid);
		if (!s)
			return false;
	}
	if (s->seq != seq) {
		s->seq = seq;
		s->sent = 0;
	}
	if (s->sent >= uid_event_budget) {
		pause_uid(uid);
		return true;
	}
	if (++s->sent == uid_event_budget) {
		pause_uid(uid);
		*wake = true;
	}
	return false;
}

/* The types joined that have the caller in the host's namespace now. */
static __always_inline u32 host_types_entered(u32 types, struct host_sent *h)
{
	h->bits = 0;
#pragma unroll
	for (u32 i = 0; i < SETNS_NS_TYPES; i++)
		if ((types & flag[i]) && host_ns[i] &&
		    current_ns(i) == host_ns[i])
			h->bits |= flag[i];
	return h->bits;
}

/* Whether a call made while paused may be an escape, which no flood may
 * hide: it has the caller in a host namespace. Where the caller was
 * before is unknown (the entry hook is detached while paused), so any join
 * into a host namespace may be one. A thread sends one such event per type
 * and interval, the first, so that a host process's flood of joins into
 * its own namespaces costs about what counting does: this CPU remembers
 * the last thread that sent one; another thread, or this one on another
 * CPU, sends again, which errs on the side of sending. */
static __always_inline bool possible_escape(long ret, u32 types)
{
	u32 seq = interval_seq, tid = current_tid();
	struct host_sent *h =
		&host_sent[bpf_get_smp_processor_id() & (SETNS_HOST_SENT_SLOTS - 1)];
	u64 start;
	u32 host;

	if (ret < 0)
		return false;
	if (!(host = host_types_entered(types, h)))
		return false;
	start = task_start_time();
	if (h->tid != tid || h->start_time != start || h->seq != seq) {
		h->tid = tid;
		h->start_time = start;
		h->seq = seq;
		h->types = 0;
	} else if (!(host & ~h->types)) {
		return false;
	}
	h->types |= host;
	return true;
}

#endif /* SETNS_BUDGET_BPF_H */
