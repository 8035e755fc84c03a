/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What the program needs to know of each architecture beyond its types
 * (vmlinux.h declares those): which saved register holds the syscall's
 * number and a 32-bit caller's arguments, and the thread_info bit that
 * makes a task's syscalls 32-bit (compat) ones.
 */
#ifndef SETNS_ARCH_BPF_H
#define SETNS_ARCH_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_tracing.h>

#if defined(__TARGET_ARCH_x86)
#define SETNS_SYSCALL_NR(regs) ((regs)->orig_ax)
/* An ia32 syscall's first two arguments. */
#define SETNS_COMPAT_PARM1(regs) ((regs)->bx)
#define SETNS_COMPAT_PARM2(regs) ((regs)->cx)

/* thread_info.status: the current syscall came from 32-bit code. */
#define SETNS_TS_COMPAT 0x0002
#define SETNS_COMPAT_FIELD status

#elif defined(__TARGET_ARCH_arm64)
#define SETNS_SYSCALL_NR(regs) ((regs)->syscallno)
/* A 32-bit (AArch32) syscall passes its arguments in r0-r6, saved as x0-x6:
 * the same registers as a native one. */
#define SETNS_COMPAT_PARM1(regs) PT_REGS_PARM1_SYSCALL(regs)
#define SETNS_COMPAT_PARM2(regs) PT_REGS_PARM2_SYSCALL(regs)

/* thread_info.flags: TIF_32BIT, the task runs AArch32 code, so its
 * syscalls are compat ones. */
#define SETNS_TS_COMPAT (1UL << 22)
#define SETNS_COMPAT_FIELD flags

#else
#error "arch.bpf.h: say where this architecture keeps a syscall's number"
#endif

#endif /* SETNS_ARCH_BPF_H */
