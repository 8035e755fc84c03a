/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The counts, the program's first job: joins by namespace type, failures
 * by errno, the events' totals (setns.h's slots) and, with by_process,
 * joins per process. Per-CPU, so that no count is ever lost or contended.
 * Every exit adds to them, and the event path adds what it sends and
 * loses.
 */
#ifndef SETNS_COUNTS_BPF_H
#define SETNS_COUNTS_BPF_H

#include "setns.h"
#include "task.bpf.h"
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

/* Count per process. */
const volatile bool by_process = false;

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

/* One count per type joined: several when a pidfd is given several flags;
 * and per process with per_process (by_process, or false where the
 * caller reads no .rodata). */
static __always_inline void count_joins(u32 types, bool per_process)
{
	u64 *row = per_process ? proc_row() : NULL;

#pragma unroll
	for (u32 i = 0; i < SETNS_NS_TYPES; i++) {
		if (!(types & flag[i]))
			continue;
		bump(&setns_counts, i);
		if (row)
			row[i] += 1; /* this CPU's copy: no other writer */
	}
}

/* The counts of one call, by_process's too where per_process says so;
 * the types joined (nstype, or what fd is when nstype is 0) or, for a
 * failure, nstype. */
static __always_inline u32 count_call(long ret, int fd, int nstype,
				      bool per_process)
{
	u32 err = -ret, types = nstype;

	if (ret < 0) {
		bump(&setns_counts, SETNS_SLOT_FAILED);
		bump(&setns_errnos, err < SETNS_ERRNO_SLOTS ? err : 0);
		return types;
	}
	/* nstype 0 means "whatever fd is": ask the file. */
	if (!types)
		types = fd_ns_type(fd);
	count_joins(types, per_process);
	return types;
}

#endif /* SETNS_COUNTS_BPF_H */
