/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What the program reads of the calling task, one function per fact: its
 * namespaces, ids, parent, start time, the type of a namespace file it
 * holds, and for an event its lineage, cgroups and root. The first four
 * are plain loads from the BTF-typed task where the kernel has one
 * (btf_task, TASK_READ: compat.bpf.h); the rest are probe reads on every
 * kernel.
 */
#ifndef SETNS_TASK_BPF_H
#define SETNS_TASK_BPF_H

#include "compat.bpf.h"
#include "setns.h"
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

/* Each slot's CLONE_NEW* flag. */
#define SLOT_FLAG(slot, name, clone_flag, flag_name) [slot] = clone_flag,
static const u32 flag[SETNS_NS_TYPES] = {SETNS_NS_TABLE(SLOT_FLAG)};
#undef SLOT_FLAG

/* The caller's namespace of one slot, as /proc/self/ns/ would show it; pid
 * and time are the ones setns changes, those of the caller's future
 * children. From a BTF-typed task pointer these are plain loads, not a
 * helper call each: they are most of what the event path costs. Before
 * 5.11, one bpf_probe_read_kernel per pointer. */
static __always_inline u32 current_ns(u32 slot)
{
	struct task_struct *task;
	struct nsproxy *nsp;

	if (btf_task) {
		task = bpf_get_current_task_btf();
		nsp = task->nsproxy;
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
	task = (void *)bpf_get_current_task();
	nsp = BPF_CORE_READ(task, nsproxy);
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
	return TASK_READ(real_parent, tgid);
}

/* When the current task started, which with its tid names it. */
static __always_inline u64 task_start_time(void)
{
	return TASK_READ(start_time);
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

#endif /* SETNS_TASK_BPF_H */
