/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The few kernel types the program reads, in place of a vmlinux.h dumped
 * from one kernel's BTF. Every field is relocated by name at load time
 * (CO-RE), so offsets here need not match any kernel and the build does not
 * depend on the kernel of the build machine. Structs carry only the
 * fields the program reads, except pt_regs: bpf_tracing.h's PT_REGS
 * macros name its registers, so its syscall-entry part is declared whole.
 * Types only: which of their fields hold what on each architecture is
 * arch.bpf.h's.
 */
#ifndef __VMLINUX_H__
#define __VMLINUX_H__ /* tells bpf_tracing.h to use kernel register names */

#include <linux/types.h>
#include <linux/bpf.h> /* uapi: map types, struct bpf_raw_tracepoint_args */

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef int pid_t;
typedef u32 dev_t;
typedef _Bool bool;
enum { false = 0, true = 1 };

#pragma clang attribute push(__attribute__((preserve_access_index)), \
			     apply_to = record)

#if defined(__TARGET_ARCH_x86)
/* The register file saved at syscall entry; orig_ax holds the syscall
 * number, di and si the first two arguments. */
struct pt_regs {
	unsigned long bx; /* an ia32 syscall's first argument */
	unsigned long di;
	unsigned long si;
	unsigned long dx;
	unsigned long r10;
	unsigned long r8;
	unsigned long r9;
	unsigned long ax;
	unsigned long orig_ax;
	unsigned long ip;
	unsigned long sp;
	unsigned long bp;
	unsigned long cx;
};

struct thread_info {
	unsigned int status;
};

#elif defined(__TARGET_ARCH_arm64)
/* arch/arm64/include/asm/ptrace.h. bpf_tracing.h reads arguments through
 * struct user_pt_regs (x0-x30, sp, pc, pstate, the part user space sees)
 * and the first syscall argument from orig_x0, as x0 holds the return
 * value by the exit; syscallno is the number of the current syscall. */
struct user_pt_regs {
	u64 regs[31];
	u64 sp;
	u64 pc;
	u64 pstate;
};

struct pt_regs {
	union {
		struct user_pt_regs user_regs;
		struct {
			u64 regs[31];
			u64 sp;
			u64 pc;
			u64 pstate;
		};
	};
	u64 orig_x0;
	int syscallno;
};

struct thread_info {
	unsigned long flags;
};

#else
#error "setns.bpf.c: declare this architecture's struct pt_regs in vmlinux.h"
#endif

struct trace_entry {
	unsigned short type;
	unsigned char flags;
	unsigned char preempt_count;
	int pid;
};

/* The records of the syscalls:sys_enter_* and sys_exit_* tracepoints
 * (kernel/trace/trace.h), not raw_syscalls' (trace_event_raw_sys_*, whose
 * id is a long): the two agree only while struct trace_entry is 8 bytes,
 * and 6.1's PREEMPT_RT kernels make it 12 (preempt_lazy_count): reading past
 * the record, a program is refused at attach (EACCES). */
struct syscall_trace_enter {
	struct trace_entry ent;
	int nr;
	unsigned long args[];
};

struct syscall_trace_exit {
	struct trace_entry ent;
	int nr;
	long ret;
};

struct qstr {
	const unsigned char *name;
};

struct inode {
	unsigned long i_ino;
	void *i_private;
};

struct super_block {
	dev_t s_dev;
};

struct dentry {
	struct qstr d_name;
	struct inode *d_inode;
	struct super_block *d_sb;
};

struct path {
	struct dentry *dentry;
};

struct fs_struct {
	struct path root;
};

struct file {
	struct path f_path;
	struct inode *f_inode;
};

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
};

struct files_struct {
	struct fdtable *fdt;
};

/* Every namespace embeds its ns_common as "ns"; inum is its nsfs inode,
 * the number /proc/PID/ns/ shows. */
struct ns_common {
	unsigned int inum;
};

struct net {
	struct ns_common ns;
};

struct mnt_namespace {
	struct ns_common ns;
};

struct pid_namespace {
	struct ns_common ns;
};

struct uts_namespace {
	struct ns_common ns;
};

struct ipc_namespace {
	struct ns_common ns;
};

struct user_namespace {
	struct ns_common ns;
};

struct cgroup_namespace {
	struct ns_common ns;
};

struct time_namespace { /* Linux 5.6 */
	struct ns_common ns;
};

struct nsproxy {
	struct uts_namespace *uts_ns;
	struct ipc_namespace *ipc_ns;
	struct mnt_namespace *mnt_ns;
	struct pid_namespace *pid_ns_for_children;
	struct net *net_ns;
	struct time_namespace *time_ns_for_children;
	struct cgroup_namespace *cgroup_ns;
};

typedef struct {
	unsigned int val;
} kuid_t;

struct cred {
	kuid_t uid;
	struct user_namespace *user_ns;
};

struct kernfs_node {
	const char *name;
	struct kernfs_node *parent;
};

/* Linux 6.15 renamed kernfs_node's parent to __parent. */
struct kernfs_node___new {
	struct kernfs_node *__parent;
};

struct cgroup {
	struct kernfs_node *kn;
};

struct css_set {
	struct cgroup *dfl_cgrp;
};

struct mm_struct {
	struct file *exe_file;
	unsigned long arg_start; /* the argv strings, on the user stack */
	unsigned long arg_end;
};

struct task_struct {
	struct thread_info thread_info;
	void *stack; /* the kernel stack's base; its top holds the user registers */
	pid_t pid;
	pid_t tgid;
	char comm[16];
	struct mm_struct *mm;
	struct css_set *cgroups;
	struct task_struct *real_parent;
	const struct cred *cred;
	struct nsproxy *nsproxy;
	struct files_struct *files;
	struct fs_struct *fs;
	u64 start_time; /* monotonic ns at fork: no two tasks share it with a tid */
	int exit_code;	/* the wait status, set before sched_process_exit */
};

/* Kernels before 6.18 keep a namespace's CLONE_NEW* type in its operations;
 * 6.18 moved it into ns_common. Both layouts are declared as CO-RE flavours
 * and the program asks the running kernel which one it has. */
struct proc_ns_operations___old {
	int type;
};

struct ns_common___old {
	const struct proc_ns_operations___old *ops;
	unsigned int inum;
};

struct ns_common___new {
	u32 ns_type;
	unsigned int inum;
};

#pragma clang attribute pop

#endif /* __VMLINUX_H__ */
