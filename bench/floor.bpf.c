// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Empty programs on the hooks the plugin's counting programs use, one per
 * attach mode, for bench/run: what an empty program costs on a hook is the
 * floor under the plugin's own cost there, which no program can go below.
 *
 *   fentry mode           fexit on __x64_sys_setns
 *   kprobe mode           kretprobe on __x64_sys_setns
 *   tracepoint mode       the syscalls/sys_exit_setns tracepoint
 *   raw_tracepoint mode   the BTF-typed sys_exit raw tracepoint, which runs
 *                         on every syscall's exit
 *
 * The signatures are the plugin's, so that the kernel sets up the same
 * context for both; the programs only return.
 *
 * And the steps of counting, one at a time, on the tracepoint's hook
 * (bench/run's profile): a read of one .rodata byte, the task's saved
 * user registers (bpf_task_pt_regs), one per-CPU array increment, and for
 * comparison the same increment in a .bss slot by CPU number. Each
 * touches what the empty program does not: where every syscall empties
 * the TLB (page table isolation without PCID), a page more is a page walk
 * more, and these say what one costs on the machine.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* fexit and tp_btf programs need a GPL-compatible license to load. */
char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("fexit/__x64_sys_setns")
int BPF_PROG(floor_fexit, const struct pt_regs *regs, long ret)
{
	return 0;
}

SEC("kretprobe/__x64_sys_setns")
int BPF_KRETPROBE(floor_kretprobe, long ret)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_setns")
int floor_tp(struct syscall_trace_exit *ctx)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_tp_btf, struct pt_regs *regs, long ret)
{
	return 0;
}

const volatile int step_flag = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} step_counts SEC(".maps");

SEC("tracepoint/syscalls/sys_exit_setns")
int step_rodata(struct syscall_trace_exit *ctx)
{
	return step_flag;
}

SEC("tracepoint/syscalls/sys_exit_setns")
int step_regs(struct syscall_trace_exit *ctx)
{
	struct pt_regs *regs =
		(void *)bpf_task_pt_regs(bpf_get_current_task_btf());

	return regs->si != 0;
}

SEC("tracepoint/syscalls/sys_exit_setns")
int step_percpu(struct syscall_trace_exit *ctx)
{
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&step_counts, &zero);

	if (n)
		*n += 1;
	return 0;
}

/* Not how the plugin counts (its counts are per-CPU maps, exact whatever
 * runs them): the same increment in plain memory, one slot per CPU, one
 * page where the per-CPU map reads two (its array of per-CPU pointers,
 * then this CPU's value). Its cost beside step_percpu's says which of
 * the two pages the per-CPU map pays for. */
#define STEP_SLOTS 64
static u64 step_slots[STEP_SLOTS * 8];

SEC("tracepoint/syscalls/sys_exit_setns")
int step_bss(struct syscall_trace_exit *ctx)
{
	/* A cache line (8 u64) per CPU, as a per-CPU value would have. */
	step_slots[(bpf_get_smp_processor_id() & (STEP_SLOTS - 1)) * 8] += 1;
	return 0;
}
