// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Counts setns(2) calls: one per namespace type joined, and failures by
 * errno, in per-CPU arrays so that no count is ever lost or contended.
 *
 * Every attach mode hooks the syscall's exit only: the return value and the
 * two arguments are all the counting needs, and one program per call costs
 * half of an entry/exit pair. The arguments come from the registers saved
 * at syscall entry, which the kernel leaves untouched until return.
 *
 * With notifications on, an entry hook also records the caller's
 * namespaces before the call, and the exit hook sends one event per call
 * through a ring buffer. The event path never touches the counts and never
 * waits: when the buffer is full the event is dropped and counted. While a
 * flood holds events back the plugin detaches the entry hook, so that the
 * flood costs what counting costs.
 */
#include "setns.h"
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* The tracing helpers used here are GPL-only: the kernel asks for a
 * GPL-compatible license, which the dual license is. */
char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The setns syscall numbers, native and 32-bit (ia32 on x86-64, AArch32
 * on arm64; -1 where the kernel runs no 32-bit programs), for the
 * raw_tracepoint mode, which sees every syscall. Set by the plugin before
 * load. */
const volatile long setns_nr = -1;
const volatile long setns_nr32 = -1;
/* Send events (and load the entry hooks); count per process. */
const volatile bool notify = false;
const volatile bool by_process = false;
/* The plugin's NamespaceType and NotifyFailures, applied here so that a
 * call nobody wants notified costs no event. */
const volatile unsigned int notify_types = ~0U;
const volatile bool notify_failures = false;
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
/* What the running kernel offers, set by the plugin: a ring buffer (5.8,
 * else the events map is a perf event array), a BTF-typed current task
 * (5.11, else pointers are read with bpf_probe_read_kernel), task local
 * storage (5.12, else setns_entries is a hash by thread id). */
const volatile bool use_ringbuf = false;
const volatile bool btf_task = false;
/* setns_entries is task local storage (Linux 5.12), not a hash. */
const volatile bool task_storage = false;
/* Events each CPU queues between two wakeups of the consumer. */
#define WAKEUP_EVERY 512

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SETNS_SLOTS);
	__type(key, u32);
	__type(value, u64);
} setns_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SETNS_ERRNO_SLOTS);
	__type(key, u32);
	__type(value, u64);
} setns_errnos SEC(".maps");

/* The namespaces of each thread inside setns, from entry to exit. A
 * record is this call's only if it was made in this interval by this uid:
 * exits skip clearing it while paused, and a pause lasts until the
 * interval ends (its uid's, unless the thread changes uid). */
struct ns_set {
	u32 inum[SETNS_NS_TYPES];
	u32 seq1; /* interval_seq + 1 at entry, 0 once used */
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

/* Declared as a perf event array for kernels before 5.8; the plugin turns
 * it into a ring buffer wherever the kernel has them. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u32));
} setns_events SEC(".maps");

/* Where the perf buffer path (before Linux 5.8) builds its event: it is
 * too large for the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct setns_event);
} setns_scratch SEC(".maps");

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

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct host_sent);
} setns_host_sent SEC(".maps");

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

/* Joins per process and namespace type; sized by the plugin. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct setns_proc_key);
	__type(value, u64[SETNS_NS_TYPES]);
} setns_procs SEC(".maps");

static __always_inline void bump(void *map, u32 slot)
{
	u64 *n = bpf_map_lookup_elem(map, &slot);

	if (n)
		*n += 1;
}

/* The CLONE_NEW* type of the namespace file behind fd. Only asked after a
 * successful setns(fd, 0), which the kernel allows for namespace files only,
 * so i_private is the namespace's ns_common. */
static __always_inline u32 fd_ns_type(int fd)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *file = NULL;
	void *ns;

	if (fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	if (bpf_core_read(&file, sizeof(file), &fds[fd]))
		return 0;
	ns = BPF_CORE_READ(file, f_inode, i_private);
	if (bpf_core_field_exists(((struct ns_common___new *)0)->ns_type))
		return BPF_CORE_READ((struct ns_common___new *)ns, ns_type);
	return BPF_CORE_READ((struct ns_common___old *)ns, ops, type);
}

#define SLOT_FLAG(slot, name, clone_flag, flag_name) [slot] = clone_flag,
static const u32 flag[SETNS_NS_TYPES] = {SETNS_NS_TABLE(SLOT_FLAG)};
#undef SLOT_FLAG

/* This process's row of setns_procs, created on its first join; the
 * overflow row (created by the plugin) once the map is full. */
static __always_inline u64 *proc_row(void)
{
	struct setns_proc_key key = {};
	static const u64 zero[SETNS_NS_TYPES];
	u64 *row;

	bpf_get_current_comm(key.comm, sizeof(key.comm));
	row = bpf_map_lookup_elem(&setns_procs, &key);
	if (row)
		return row;
	bpf_map_update_elem(&setns_procs, &key, zero, BPF_NOEXIST);
	row = bpf_map_lookup_elem(&setns_procs, &key);
	if (row)
		return row;
	__builtin_memset(&key, 0, sizeof(key));
	key.overflow = 1;
	return bpf_map_lookup_elem(&setns_procs, &key);
}

/* One count per type joined: several when a pidfd is given several flags. */
static __always_inline void count_joins(u32 types)
{
	u64 *row = by_process ? proc_row() : NULL;

#pragma unroll
	for (u32 i = 0; i < SETNS_NS_TYPES; i++) {
		if (!(types & flag[i]))
			continue;
		bump(&setns_counts, i);
		if (row)
			row[i] += 1; /* this CPU's copy: no other writer */
	}
}

/* The caller's namespace of one slot, as /proc/self/ns/ would show it; pid
 * and time are the ones setns changes, those of the caller's future
 * children. The task pointer is BTF-typed, so these are plain loads, not a
 * helper call each: they are most of what the event path costs. */
static __always_inline u32 current_ns_btf(u32 slot)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct nsproxy *nsp = task->nsproxy;

	switch (slot) {
	case SETNS_SLOT_NET:
		return nsp->net_ns->ns.inum;
	case SETNS_SLOT_MNT:
		return nsp->mnt_ns->ns.inum;
	case SETNS_SLOT_PID:
		return nsp->pid_ns_for_children->ns.inum;
	case SETNS_SLOT_UTS:
		return nsp->uts_ns->ns.inum;
	case SETNS_SLOT_IPC:
		return nsp->ipc_ns->ns.inum;
	case SETNS_SLOT_USER:
		return task->cred->user_ns->ns.inum;
	case SETNS_SLOT_CGROUP:
		return nsp->cgroup_ns->ns.inum;
	default:
		if (bpf_core_field_exists(nsp->time_ns_for_children))
			return nsp->time_ns_for_children->ns.inum;
		return 0;
	}
}

/* The same before Linux 5.11, one bpf_probe_read_kernel per pointer. */
static __always_inline u32 current_ns_core(u32 slot)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct nsproxy *nsp = BPF_CORE_READ(task, nsproxy);

	switch (slot) {
	case SETNS_SLOT_NET:
		return BPF_CORE_READ(nsp, net_ns, ns.inum);
	case SETNS_SLOT_MNT:
		return BPF_CORE_READ(nsp, mnt_ns, ns.inum);
	case SETNS_SLOT_PID:
		return BPF_CORE_READ(nsp, pid_ns_for_children, ns.inum);
	case SETNS_SLOT_UTS:
		return BPF_CORE_READ(nsp, uts_ns, ns.inum);
	case SETNS_SLOT_IPC:
		return BPF_CORE_READ(nsp, ipc_ns, ns.inum);
	case SETNS_SLOT_USER:
		return BPF_CORE_READ(task, cred, user_ns, ns.inum);
	case SETNS_SLOT_CGROUP:
		return BPF_CORE_READ(nsp, cgroup_ns, ns.inum);
	default:
		if (bpf_core_field_exists(nsp->time_ns_for_children))
			return BPF_CORE_READ(nsp, time_ns_for_children,
					     ns.inum);
		return 0;
	}
}

static __always_inline u32 current_ns(u32 slot)
{
	return btf_task ? current_ns_btf(slot) : current_ns_core(slot);
}

static __always_inline void read_namespaces(u32 *inum)
{
#pragma unroll
	for (u32 i = 0; i < SETNS_NS_TYPES; i++)
		inum[i] = current_ns(i);
}

/* The caller's uid and thread id: loads from the BTF-typed task, cheaper
 * than a helper call each on the paths every call of a flood takes. */
static __always_inline u32 current_uid(void)
{
	if (btf_task)
		return bpf_get_current_task_btf()->cred->uid.val;
	return (u32)bpf_get_current_uid_gid();
}

static __always_inline u32 current_tid(void)
{
	if (btf_task)
		return bpf_get_current_task_btf()->pid;
	return (u32)bpf_get_current_pid_tgid();
}

static __always_inline u32 parent_tgid(void)
{
	struct task_struct *task;

	if (btf_task)
		return bpf_get_current_task_btf()->real_parent->tgid;
	task = (void *)bpf_get_current_task();
	return BPF_CORE_READ(task, real_parent, tgid);
}

/* Who the caller is when it is gone by the time the plugin reads /proc, as
 * runc's short-lived children are: its executable's file name and its
 * ancestors. Read with probe reads on every kernel: an event is sent for
 * a few calls only, and these pointers may be NULL (kernel threads have no
 * mm, init has no parent worth naming). */
static __always_inline void read_lineage(struct setns_event *e)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	const unsigned char *name;

	e->exe[0] = '\0';
	name = BPF_CORE_READ(task, mm, exe_file, f_path.dentry, d_name.name);
	if (name)
		bpf_probe_read_kernel_str(e->exe, sizeof(e->exe), name);
#pragma unroll
	for (int i = 0; i < SETNS_ANCESTORS; i++) {
		e->ancestors[i].pid = 0;
		e->ancestors[i].comm[0] = '\0';
		e->ancestors[i].exe[0] = '\0';
	}
#pragma unroll
	for (int i = 0; i < SETNS_ANCESTORS; i++) {
		task = BPF_CORE_READ(task, real_parent);
		if (!task)
			break;
		e->ancestors[i].pid = BPF_CORE_READ(task, tgid);
		if (!e->ancestors[i].pid)
			break;
		BPF_CORE_READ_STR_INTO(&e->ancestors[i].comm, task, comm);
		name = BPF_CORE_READ(task, mm, exe_file, f_path.dentry,
				     d_name.name);
		if (name)
			bpf_probe_read_kernel_str(e->ancestors[i].exe,
						  sizeof(e->ancestors[i].exe),
						  name);
		if (e->ancestors[i].pid == 1)
			break;
	}
}

/* The caller's cgroup v2 and its parent by name, at the call: a container
 * that exits at once (docker run --rm) has its cgroup removed before the
 * plugin could resolve the id, and the container would go unnamed. */
static __always_inline void read_cgroup_names(struct setns_event *e)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct kernfs_node *kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);

	e->cgroup_leaf[0] = '\0';
	e->cgroup_parent[0] = '\0';
	if (!kn)
		return;
	bpf_probe_read_kernel_str(e->cgroup_leaf, sizeof(e->cgroup_leaf),
				  BPF_CORE_READ(kn, name));
	if (bpf_core_field_exists(((struct kernfs_node___new *)0)->__parent))
		kn = BPF_CORE_READ((struct kernfs_node___new *)kn, __parent);
	else
		kn = BPF_CORE_READ(kn, parent);
	if (kn)
		bpf_probe_read_kernel_str(e->cgroup_parent,
					  sizeof(e->cgroup_parent),
					  BPF_CORE_READ(kn, name));
}

/* Where the caller's root directory is after the call (see setns.h). */
static __always_inline void read_root(struct setns_event *e)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct dentry *root = BPF_CORE_READ(task, fs, root.dentry);

	e->root_dev = BPF_CORE_READ(root, d_sb, s_dev);
	e->root_ino = BPF_CORE_READ(root, d_inode, i_ino);
}

/* This thread's entry in setns_entries; created at entry only. */
static __always_inline struct ns_set *thread_entry(bool create)
{
	static const struct ns_set empty;
	u32 tid = (u32)bpf_get_current_pid_tgid();

	if (task_storage)
		return bpf_task_storage_get(
		    &setns_entries, bpf_get_current_task_btf(), 0,
		    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (create)
		bpf_map_update_elem(&setns_entries, &tid, &empty, BPF_ANY);
	return bpf_map_lookup_elem(&setns_entries, &tid);
}

static __always_inline bool paused(void);

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
		set->seq1 = interval_seq + 1;
		set->uid = current_uid();
	}
	return 0;
}

/* Whether set was recorded by this call's entry (see struct ns_set). */
static __always_inline bool entry_current(struct ns_set *set)
{
	return set && set->seq1 == interval_seq + 1 &&
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
	u32 tid = (u32)bpf_get_current_pid_tgid();

	if (!task_storage)
		bpf_map_delete_elem(&setns_entries, &tid);
	else if (set)
		set->seq1 = 0;
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
	struct setns_event *e;
	u64 *sent;

	if (!use_ringbuf) {
		u32 zero = 0;

		e = bpf_map_lookup_elem(&setns_scratch, &zero);
		if (!e)
			return;
		fill_event(e, ret, fd, nstype, types, set);
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
	sent = bpf_map_lookup_elem(&setns_counts, &slot);
	if ((sent && (++*sent % WAKEUP_EVERY) == 0) || wake)
		bpf_ringbuf_submit(e, BPF_RB_FORCE_WAKEUP);
	else
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
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

/* When the current task started, which with its tid names it. */
static __always_inline u64 task_start_time(void)
{
	struct task_struct *task;

	if (btf_task)
		return bpf_get_current_task_btf()->start_time;
	task = (void *)bpf_get_current_task();
	return BPF_CORE_READ(task, start_time);
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
	u32 zero = 0, seq = interval_seq, tid = current_tid();
	struct host_sent *h = bpf_map_lookup_elem(&setns_host_sent, &zero);
	u64 start;
	u32 host;

	if (ret < 0)
		return false;
	if (!h)
		return true; /* cannot happen */
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
 * (events.c, pause_kernel): this uid's, or everyone's when another uid's
 * are paused already. */
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

/* The plugin's type and failure filters: a failure with nstype 0 is
 * of no known type and passes the type filter. */
static __always_inline bool wanted(long ret, int nstype, u32 types)
{
	if (ret < 0)
		return notify_failures && (!nstype || (nstype & notify_types));
	return types & notify_types;
}

static __always_inline int count_exit(void *ctx, long ret, int fd, int nstype)
{
	u32 err = -ret, types = nstype;
	struct ns_set *set;
	bool wake = false;

	if (ret < 0) {
		bump(&setns_counts, SETNS_SLOT_FAILED);
		bump(&setns_errnos, err < SETNS_ERRNO_SLOTS ? err : 0);
	} else {
		/* nstype 0 means "whatever fd is": ask the file. */
		if (!types)
			types = fd_ns_type(fd);
		count_joins(types);
	}
	if (!notify)
		return 0;
	/* A flood, paused: no entry record to read or clear (see struct
	 * ns_set), so as little as can be done. */
	if (task_storage && paused()) {
		if (!wanted(ret, nstype, types))
			return 0;
		if (possible_escape(ret, types))
			send_event(ctx, ret, fd, nstype, types, NULL, false);
		else
			bump(&setns_counts, SETNS_SLOT_EVENTS_PAUSED);
		return 0;
	}
	set = thread_entry(false);
	if (wanted(ret, nstype, types)) {
		if ((paused() || over_budget(&wake)) &&
		    !possible_escape(ret, types))
			bump(&setns_counts, SETNS_SLOT_EVENTS_PAUSED);
		else
			send_event(ctx, ret, fd, nstype, types, set, wake);
	}
	release_entry(set);
	return 0;
}

/* The exit of a syscall whose user registers are regs, in either ABI.
 * regs is BTF-typed (a program argument, or bpf_task_pt_regs()), so its
 * fields are plain loads, not bpf_probe_read calls. */
static __always_inline int count_exit_regs(void *ctx, long ret,
					   struct pt_regs *regs, bool compat)
{
	if (compat)
		return count_exit(ctx, ret, (int)SETNS_COMPAT_PARM1(regs),
				  (int)SETNS_COMPAT_PARM2(regs));
	return count_exit(ctx, ret, PT_REGS_PARM1_SYSCALL(regs),
			  PT_REGS_PARM2_SYSCALL(regs));
}

/* The user registers of the current syscall: kretprobes and syscall
 * tracepoints see the return value but not the arguments. */
static __always_inline struct pt_regs *current_regs(void)
{
	return (struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());
}

/* fentry/fexit on the arch's syscall wrapper (__x64_sys_setns,
 * __arm64_sys_setns) and on x86-64's ia32 one (__ia32_sys_setns): the
 * plugin sets the targets with bpf_program__set_attach_target() before
 * load. arm64 has no such second wrapper: its 32-bit (AArch32) calls go
 * through __arm64_sys_setns too, with their arguments in the same
 * registers, so the native programs see them, and the *_ia32 programs are
 * never loaded there. */
SEC("fentry")
int BPF_PROG(fentry_setns, struct pt_regs *regs)
{
	return note_entry((int)PT_REGS_PARM2_SYSCALL(regs));
}

SEC("fexit")
int BPF_PROG(fexit_setns, struct pt_regs *regs, long ret)
{
	return count_exit_regs(ctx, ret, regs, false);
}

SEC("fentry")
int BPF_PROG(fentry_ia32, struct pt_regs *regs)
{
	return note_entry((int)SETNS_COMPAT_PARM2(regs));
}

SEC("fexit")
int BPF_PROG(fexit_ia32, struct pt_regs *regs, long ret)
{
	return count_exit_regs(ctx, ret, regs, true);
}

/* The kprobe entries do not filter on nstype: reading it would cost them
 * more than recording the namespaces does. */
SEC("ksyscall/setns")
int BPF_KPROBE(kprobe_setns)
{
	return note_entry(0);
}

SEC("kretsyscall/setns")
int BPF_KRETPROBE(kretprobe_setns, long ret)
{
	return count_exit_regs(ctx, ret, current_regs(), false);
}

/* ksyscall knows the native wrapper only. */
SEC("kprobe/__ia32_sys_setns")
int BPF_KPROBE(kprobe_ia32)
{
	return note_entry(0);
}

SEC("kretprobe/__ia32_sys_setns")
int BPF_KRETPROBE(kretprobe_ia32, long ret)
{
	return count_exit_regs(ctx, ret, current_regs(), true);
}

/* Syscall tracepoints fire for native calls only: this mode cannot see
 * 32-bit callers (see the plugin's attach.c). */
SEC("tracepoint/syscalls/sys_enter_setns")
int tp_enter_setns(struct trace_event_raw_sys_enter *ctx)
{
	return note_entry((int)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_setns")
int tp_exit_setns(struct trace_event_raw_sys_exit *ctx)
{
	return count_exit_regs(ctx, ctx->ret, current_regs(), false);
}

/* Whether the current syscall came from 32-bit code (x86-64: int 0x80,
 * sysenter; arm64: an AArch32 task): its number and arguments are then
 * the 32-bit ABI's. */
static __always_inline bool in_compat_syscall(void)
{
	struct task_struct *task;

	if (btf_task) {
		task = bpf_get_current_task_btf();
		return task->thread_info.SETNS_COMPAT_FIELD & SETNS_TS_COMPAT;
	}
	task = (void *)bpf_get_current_task();
	return BPF_CORE_READ(task, thread_info.SETNS_COMPAT_FIELD) &
	       SETNS_TS_COMPAT;
}

/* Whether syscall nr is setns in the ABI of the current call. A number is
 * compared first: the ABI is asked only of setns-looking calls, and an
 * ia32 pselect6 (308, the native setns on x86-64) or an AArch32 tgkill
 * (268, the native setns on arm64) is not taken for setns. */
static __always_inline bool is_setns(long nr, bool *compat)
{
	if (nr != setns_nr && nr != setns_nr32)
		return false;
	*compat = setns_nr32 >= 0 && in_compat_syscall();
	return nr == (*compat ? setns_nr32 : setns_nr);
}

/* Last resort, needs neither kprobes nor tracefs: the raw sys_enter and
 * sys_exit tracepoints, BTF-typed (tp_btf) so that the registers are plain
 * loads. They run on every syscall's entry and exit, so the first thing
 * they do is leave when the syscall is not setns. They see both ABIs. */
SEC("tp_btf/sys_enter")
int BPF_PROG(raw_tp_enter, struct pt_regs *regs, long id)
{
	bool compat;

	if (!is_setns(id, &compat))
		return 0;
	return note_entry(compat ? (int)SETNS_COMPAT_PARM2(regs)
				 : (int)PT_REGS_PARM2_SYSCALL(regs));
}

SEC("tp_btf/sys_exit")
int BPF_PROG(raw_tp_exit, struct pt_regs *regs, long ret)
{
	bool compat;

	if (!is_setns(SETNS_SYSCALL_NR(regs), &compat))
		return 0;
	return count_exit_regs(ctx, ret, regs, compat);
}
