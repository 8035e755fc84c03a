/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What differs by kernel, the program's side: how the current task is
 * read (BTF-typed from 5.11, else with probe reads), where events go (a
 * ring buffer from 5.8, else a perf event array fed from a per-CPU
 * scratch event), where a thread keeps its entry record (task local
 * storage from 5.12, else a hash by thread id), and the 32-bit (compat)
 * syscalls of kernels that run 32-bit programs. The plugin's side (what
 * the running kernel offers, the maps' older forms, the reading of events
 * from either buffer) is plugin/compat.c.
 */
#ifndef SETNS_COMPAT_BPF_H
#define SETNS_COMPAT_BPF_H

#include "arch.bpf.h"
#include "setns.h"
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

/* What the running kernel offers, set by the plugin: a ring buffer (5.8,
 * else the events map is a perf event array), a BTF-typed current task
 * (5.11, else pointers are read with bpf_probe_read_kernel), task local
 * storage (5.12, else setns_entries is a hash by thread id). */
const volatile bool use_ringbuf = false;
const volatile bool btf_task = false;
const volatile bool task_storage = false;

/*
 * A chain of fields of the current task, named as BPF_CORE_READ names
 * them: TASK_READ(real_parent, tgid) is the task's real_parent->tgid.
 * Plain loads from the BTF-typed task where the kernel has one (5.11), not
 * a helper call each; before, one bpf_probe_read_kernel per pointer.
 */
#define TASK_READ(...)                                                         \
	(btf_task ? TASK_LOAD_(bpf_get_current_task_btf(), __VA_ARGS__) : ({   \
		struct task_struct *task_ = (void *)bpf_get_current_task();    \
		BPF_CORE_READ(task_, __VA_ARGS__);                             \
	}))
/* task->a, task->a->b or task->a->b->c, as many fields as are given. */
#define TASK_LOAD_(task, ...)                                                  \
	TASK_LOAD_N_(__VA_ARGS__, TASK_LOAD3_, TASK_LOAD2_, TASK_LOAD1_)       \
	(task, __VA_ARGS__)
#define TASK_LOAD_N_(a, b, c, load, ...) load
#define TASK_LOAD1_(task, a) (task)->a
#define TASK_LOAD2_(task, a, b) (task)->a->b
#define TASK_LOAD3_(task, a, b, c) (task)->a->b->c

/* Declared as a perf event array for kernels before 5.8; the plugin turns
 * it into a ring buffer wherever the kernel has them. send_event
 * (events.bpf.h) has both paths side by side: reserve, fill and submit in
 * the ring; or fill setns_scratch and copy it out. */
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

/* The current thread's value in map: task local storage, or before 5.12
 * a hash keyed by thread id. create makes it where there is none (a hash's
 * from init). */
static __always_inline void *thread_value(void *map, const void *init,
					  bool create)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();

	if (task_storage)
		return bpf_task_storage_get(
		    map, bpf_get_current_task_btf(), 0,
		    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (create)
		bpf_map_update_elem(map, &tid, init, BPF_ANY);
	return bpf_map_lookup_elem(map, &tid);
}

/* Deletes the current thread's value where map is a hash, which would
 * fill up otherwise. False for task local storage, freed with the task:
 * the value stays, for the caller to mark. */
static __always_inline bool thread_value_delete(void *map)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();

	if (task_storage)
		return false;
	bpf_map_delete_elem(map, &tid);
	return true;
}

/* Whether the current syscall came from 32-bit code (x86-64: int 0x80,
 * sysenter; arm64: an AArch32 task): its number and arguments are then
 * the 32-bit ABI's. */
static __always_inline bool in_compat_syscall(void)
{
	struct task_struct *task;

	/* Asked on every setns in raw_tracepoint mode, counting only
	 * included: whether the kernel has a BTF-typed current task is a
	 * constant here (CO-RE), not btf_task, whose page in .rodata would
	 * be one more read on that path. */
	if (bpf_core_enum_value_exists(enum bpf_func_id,
				       BPF_FUNC_get_current_task_btf))
		return bpf_get_current_task_btf()->thread_info.SETNS_COMPAT_FIELD &
		       SETNS_TS_COMPAT;
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
	if (nr != SETNS_NR && nr != SETNS_NR_COMPAT)
		return false;
	*compat = in_compat_syscall();
	return nr == (*compat ? SETNS_NR_COMPAT : SETNS_NR);
}

/* Whether the kernel has bpf_task_pt_regs (Linux 5.15): a constant the
 * loader writes (CO-RE), which the verifier prunes on. */
#define HAVE_TASK_PT_REGS                                                      \
	bpf_core_enum_value_exists(enum bpf_func_id, BPF_FUNC_task_pt_regs)

/*
 * The current syscall's first two arguments, from the user registers
 * saved at its entry, for kernels without bpf_task_pt_regs (before 5.15),
 * as the kprobe and tracepoint exits see the return value only. The
 * registers are at the top of the task's kernel stack, THREAD_SIZE above
 * its base: 16 KiB on x86-64 and arm64, twice that with KASAN. BTF does
 * not give THREAD_SIZE: the top whose saved syscall number is the one
 * being returned from is taken. False, the call left uncounted, if
 * neither is; the kernel itself reads them there, so one is.
 */
static __always_inline bool stack_args(bool compat, int *fd, int *nstype)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	unsigned long base = (unsigned long)BPF_CORE_READ(task, stack);
	long want = compat ? SETNS_NR_COMPAT : SETNS_NR;

#pragma unroll
	for (int shift = 14; shift <= 15; shift++) {
		struct pt_regs *regs =
			(void *)(base + (1UL << shift) -
				 bpf_core_type_size(struct pt_regs));
		typeof(SETNS_SYSCALL_NR(regs)) nr = -1;

		bpf_core_read(&nr, sizeof(nr), &SETNS_SYSCALL_NR(regs));
		if (nr != want)
			continue;
		*fd = compat ? (int)SETNS_COMPAT_PARM1_CORE(regs)
			     : (int)PT_REGS_PARM1_CORE_SYSCALL(regs);
		*nstype = compat ? (int)SETNS_COMPAT_PARM2_CORE(regs)
				 : (int)PT_REGS_PARM2_CORE_SYSCALL(regs);
		return true;
	}
	return false;
}

#endif /* SETNS_COMPAT_BPF_H */
