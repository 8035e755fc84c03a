/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What the program needs to know of each architecture beyond its types
 * (vmlinux.h declares those): setns's syscall numbers, constants so that
 * the raw_tracepoint mode's test on every syscall reads no memory (on a
 * machine whose every syscall empties the TLB, one more page read costs
 * that test tens of ns, see bench/README.md); which saved register holds the syscall's
 * number and a 32-bit caller's arguments, and the thread_info bit that
 * makes a task's syscalls 32-bit (compat) ones.
 */
#ifndef SETNS_ARCH_BPF_H
#define SETNS_ARCH_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#if defined(__TARGET_ARCH_x86)
/* setns's number, native and ia32 (arch/x86/entry/syscalls/). */
#define SETNS_NR 308
#define SETNS_NR_COMPAT 346
#define SETNS_SYSCALL_NR(regs) ((regs)->orig_ax)
/* An ia32 syscall's first two arguments. */
#define SETNS_COMPAT_PARM1(regs) ((regs)->bx)
#define SETNS_COMPAT_PARM2(regs) ((regs)->cx)
/* The same, read with probe reads from a pointer that is not BTF-typed. */
#define SETNS_COMPAT_PARM1_CORE(regs) BPF_CORE_READ(regs, bx)
#define SETNS_COMPAT_PARM2_CORE(regs) BPF_CORE_READ(regs, cx)

/* thread_info.status: the current syscall came from 32-bit code. */
#define SETNS_TS_COMPAT 0x0002
#define SETNS_COMPAT_FIELD status

#elif defined(__TARGET_ARCH_arm64)
/* setns's number, native (include/uapi/asm-generic/unistd.h) and AArch32
 * (arch/arm64/include/asm/unistd32.h). */
#define SETNS_NR 268
#define SETNS_NR_COMPAT 375
#define SETNS_SYSCALL_NR(regs) ((regs)->syscallno)
/* A 32-bit (AArch32) syscall passes its arguments in r0-r6, saved as x0-x6:
 * the same registers as a native one. */
#define SETNS_COMPAT_PARM1(regs) PT_REGS_PARM1_SYSCALL(regs)
#define SETNS_COMPAT_PARM2(regs) PT_REGS_PARM2_SYSCALL(regs)
#define SETNS_COMPAT_PARM1_CORE(regs) PT_REGS_PARM1_CORE_SYSCALL(regs)
#define SETNS_COMPAT_PARM2_CORE(regs) PT_REGS_PARM2_CORE_SYSCALL(regs)

/* thread_info.flags: TIF_32BIT, the task runs AArch32 code, so its
 * syscalls are compat ones. */
#define SETNS_TS_COMPAT (1UL << 22)
#define SETNS_COMPAT_FIELD flags

#else
#error "arch.bpf.h: say where this architecture keeps a syscall's number"
#endif

#endif /* SETNS_ARCH_BPF_H */
