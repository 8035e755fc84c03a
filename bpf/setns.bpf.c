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
 * through a ring buffer. The event path adds only to its own slots (events
 * lost, suppressed) and never waits: when the buffer is full the event is
 * dropped and counted. While a
 * flood holds events back the plugin detaches the entry hook, so that the
 * flood costs what counting costs.
 *
 * This file holds the programs, an entry and an exit per attach mode and
 * the exit's twin that only counts (loaded when nothing else is asked),
 * and the exit path they share (count_exit). What that path ties together has
 * a header each: counts.bpf.h the counts, events.bpf.h the events and the
 * entry record, budget.bpf.h the per-uid budget and the pause, task.bpf.h
 * what is read of the calling task, compat.bpf.h what differs by kernel
 * and arch.bpf.h what differs by architecture.
 */
#include "setns.h"
#include "arch.bpf.h"
#include "budget.bpf.h"
#include "compat.bpf.h"
#include "counts.bpf.h"
#include "events.bpf.h"
#include "sessions.bpf.h"
#include "task.bpf.h"
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* The tracing helpers used here are GPL-only: the kernel asks for a
 * GPL-compatible license, which the dual license is. */
char LICENSE[] SEC("license") = "Dual BSD/GPL";

static __always_inline int count_exit(void *ctx, long ret, int fd, int nstype)
{
	u32 types = count_call(ret, fd, nstype, by_process);
	struct ns_set *set;
	bool wake = false;

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

/* count_exit, or with only_count the counting programs' counts alone. */
static __always_inline int count_exit_args(void *ctx, long ret, int fd,
					   int nstype, bool only_count)
{
	if (only_count) {
		count_call(ret, fd, nstype, false);
		return 0;
	}
	return count_exit(ctx, ret, fd, nstype);
}

/* The exit of a syscall whose user registers are regs, in either ABI.
 * regs is BTF-typed (a program argument, or bpf_task_pt_regs()), so its
 * fields are plain loads, not bpf_probe_read calls. With only_count, the
 * path of the counting programs (*_count below), loaded instead of the
 * exit programs when neither notifications nor ReportByProcess are on:
 * the counts alone, without reading .rodata. On a machine whose every
 * syscall empties the TLB (page table isolation without PCID), each page a
 * program reads costs it a page walk, tens of ns: they read the registers,
 * the counts map and its per-CPU value, as little as counting can. */
static __always_inline int count_exit_regs(void *ctx, long ret,
					   struct pt_regs *regs, bool compat,
					   bool only_count)
{
	int fd = compat ? (int)SETNS_COMPAT_PARM1(regs)
			: (int)PT_REGS_PARM1_SYSCALL(regs);
	int nstype = compat ? (int)SETNS_COMPAT_PARM2(regs)
			    : (int)PT_REGS_PARM2_SYSCALL(regs);

	return count_exit_args(ctx, ret, fd, nstype, only_count);
}

/* The exit of the current syscall, for kretprobes and syscall tracepoints,
 * which see the return value but not the arguments: those are read from
 * the user registers, BTF-typed from bpf_task_pt_regs where the kernel
 * has it (5.15), else from the top of the kernel stack (stack_args). With
 * only_count, the counting twin's path. */
static __always_inline int count_exit_current(void *ctx, long ret, bool compat,
					      bool only_count)
{
	int fd = -1, nstype = 0;

	if (HAVE_TASK_PT_REGS) {
		struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(
			bpf_get_current_task_btf());

		return count_exit_regs(ctx, ret, regs, compat, only_count);
	}
	if (!stack_args(compat, &fd, &nstype))
		return 0;
	return count_exit_args(ctx, ret, fd, nstype, only_count);
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
	return count_exit_regs(ctx, ret, regs, false, false);
}

SEC("fexit")
int BPF_PROG(fexit_count, struct pt_regs *regs, long ret)
{
	return count_exit_regs(ctx, ret, regs, false, true);
}

SEC("fentry")
int BPF_PROG(fentry_ia32, struct pt_regs *regs)
{
	return note_entry((int)SETNS_COMPAT_PARM2(regs));
}

SEC("fexit")
int BPF_PROG(fexit_ia32, struct pt_regs *regs, long ret)
{
	return count_exit_regs(ctx, ret, regs, true, false);
}

SEC("fexit")
int BPF_PROG(fexit_ia32_count, struct pt_regs *regs, long ret)
{
	return count_exit_regs(ctx, ret, regs, true, true);
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
	return count_exit_current(ctx, ret, false, false);
}

SEC("kretsyscall/setns")
int BPF_KRETPROBE(kretprobe_count, long ret)
{
	return count_exit_current(ctx, ret, false, true);
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
	return count_exit_current(ctx, ret, true, false);
}

SEC("kretprobe/__ia32_sys_setns")
int BPF_KRETPROBE(kretprobe_ia32_count, long ret)
{
	return count_exit_current(ctx, ret, true, true);
}

/* Syscall tracepoints fire for native calls only: this mode cannot see
 * 32-bit callers (see the plugin's attach.c). */
SEC("tracepoint/syscalls/sys_enter_setns")
int tp_enter_setns(struct syscall_trace_enter *ctx)
{
	return note_entry((int)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_exit_setns")
int tp_exit_setns(struct syscall_trace_exit *ctx)
{
	return count_exit_current(ctx, ctx->ret, false, false);
}

SEC("tracepoint/syscalls/sys_exit_setns")
int tp_count_setns(struct syscall_trace_exit *ctx)
{
	return count_exit_current(ctx, ctx->ret, false, true);
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
	return count_exit_regs(ctx, ret, regs, compat, false);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(raw_tp_count, struct pt_regs *regs, long ret)
{
	bool compat;

	if (!is_setns(SETNS_SYSCALL_NR(regs), &compat))
		return 0;
	return count_exit_regs(ctx, ret, regs, compat, true);
}

/* ExecSessions (sessions.bpf.h): loaded only with it, on BTF tracepoints
 * that fire for every process on the host. */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(session_on_fork, struct task_struct *parent,
	     struct task_struct *child)
{
	return session_fork(parent->tgid, child->tgid);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(session_on_exec, struct task_struct *p)
{
	return session_exec(p);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(session_on_exit, struct task_struct *p)
{
	return session_exit(p);
}
