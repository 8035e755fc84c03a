// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Counts setns(2) calls: one per namespace type joined, and failures by
 * errno, in per-CPU arrays so that no count is ever lost or contended.
 *
 * Every attach mode hooks the syscall's exit only: the return value and the
 * two arguments are all the counting needs, and one program per call costs
 * half of an entry/exit pair. The arguments come from the registers saved
 * at syscall entry, which the kernel leaves untouched until return.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "setns.h"

char LICENSE[] SEC("license") = "GPL";

/* The native setns syscall number, for the raw_tracepoint mode, which sees
 * every syscall. Set by the plugin before load. */
const volatile long setns_nr = -1;

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

/* One count per type joined: several when a pidfd is given several flags. */
static __always_inline void count_joins(u32 types)
{
	static const u32 flag[SETNS_NS_TYPES] = {
		[SETNS_SLOT_NET] = SETNS_CLONE_NEWNET,
		[SETNS_SLOT_MNT] = SETNS_CLONE_NEWNS,
		[SETNS_SLOT_PID] = SETNS_CLONE_NEWPID,
		[SETNS_SLOT_UTS] = SETNS_CLONE_NEWUTS,
		[SETNS_SLOT_IPC] = SETNS_CLONE_NEWIPC,
		[SETNS_SLOT_USER] = SETNS_CLONE_NEWUSER,
		[SETNS_SLOT_CGROUP] = SETNS_CLONE_NEWCGROUP,
		[SETNS_SLOT_TIME] = SETNS_CLONE_NEWTIME,
	};

#pragma unroll
	for (u32 i = 0; i < SETNS_NS_TYPES; i++)
		if (types & flag[i])
			bump(&setns_counts, i);
}

static __always_inline int count_exit(long ret, int fd, int nstype)
{
	u32 err = -ret;

	if (ret < 0) {
		bump(&setns_counts, SETNS_SLOT_FAILED);
		bump(&setns_errnos, err < SETNS_ERRNO_SLOTS ? err : 0);
		return 0;
	}
	/* nstype 0 means "whatever fd is": ask the file. */
	count_joins(nstype ? (u32)nstype : fd_ns_type(fd));
	return 0;
}

/* The user registers of the current syscall: kretprobes and syscall
 * tracepoints see the return value but not the arguments. The pointer is
 * BTF-typed, so its fields are plain loads, not bpf_probe_read calls. */
static __always_inline int count_exit_current(long ret)
{
	struct pt_regs *regs =
		(struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf());

	return count_exit(ret, PT_REGS_PARM1_SYSCALL(regs),
			  PT_REGS_PARM2_SYSCALL(regs));
}

/* fexit on the arch's syscall wrapper (__x64_sys_setns...): the plugin sets
 * the target with bpf_program__set_attach_target() before load. */
SEC("fexit")
int BPF_PROG(fexit_setns, const struct pt_regs *regs, long ret)
{
	return count_exit(ret, PT_REGS_PARM1_SYSCALL(regs),
			  PT_REGS_PARM2_SYSCALL(regs));
}

SEC("kretsyscall/setns")
int BPF_KRETPROBE(kretsyscall_setns, long ret)
{
	return count_exit_current(ret);
}

SEC("tracepoint/syscalls/sys_exit_setns")
int tp_exit_setns(struct trace_event_raw_sys_exit *ctx)
{
	return count_exit_current(ctx->ret);
}

/* Last resort, needs neither kprobes nor tracefs: runs on every syscall's
 * exit, so the first thing it does is leave when the syscall is not setns. */
SEC("raw_tracepoint/sys_exit")
int raw_tp_setns(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];

	if (SETNS_SYSCALL_NR(regs) != setns_nr)
		return 0;
	return count_exit(ctx->args[1], PT_REGS_PARM1_CORE_SYSCALL(regs),
			  PT_REGS_PARM2_CORE_SYSCALL(regs));
}
