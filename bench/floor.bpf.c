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
 */
#include "vmlinux.h"
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
int floor_tp(struct trace_event_raw_sys_exit *ctx)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(floor_tp_btf, struct pt_regs *regs, long ret)
{
	return 0;
}
