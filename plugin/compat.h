/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/compat.h
 *
 * What differs between kernels, the plugin's side (the program's is
 * bpf/compat.bpf.h): the syscall's names on this architecture, one probe
 * per kernel feature, the maps that have an older form, and the reading of
 * events from a ring buffer (Linux 5.8) or a perf buffer (before).
 */
#ifndef SETNS_COMPAT_H
#define SETNS_COMPAT_H

#include "setns.h"

#include <stdbool.h>
#include <stddef.h>

/* The syscall wrapper fentry and kprobe hook, and 32-bit programs: the
 * kernel function whose BTF says that it runs them, whether they enter
 * through a wrapper of their own (then hooked too, by the *_ia32
 * programs), and their name in messages. (The program knows setns's
 * numbers itself: bpf/arch.bpf.h.) */
#if defined(__x86_64__)
#define SYSCALL_WRAPPER "__x64_sys_setns"
#define SYSCALL_WRAPPER_COMPAT "__ia32_sys_setns"
#define COMPAT_WITNESS SYSCALL_WRAPPER_COMPAT /* CONFIG_IA32_EMULATION */
#define COMPAT_WRAPPER true
#define COMPAT_NAME "ia32"
#elif defined(__aarch64__)
#define SYSCALL_WRAPPER "__arm64_sys_setns"
/* AArch32 tasks' setns goes through the compat syscall table to
 * __arm64_sys_setns itself (arch/arm64/kernel/sys32.c), its arguments in
 * the same registers: the native programs see it. */
#define SYSCALL_WRAPPER_COMPAT NULL
#define COMPAT_WITNESS "__arm64_compat_sys_ioctl" /* CONFIG_COMPAT */
#define COMPAT_WRAPPER false
#define COMPAT_NAME "AArch32"
#else
#error "setns plugin: name this architecture's syscall wrapper"
#endif

/* What the kernel offers, probed once (compat_features). SETNS_TEST_COMPAT
 * in the environment makes the plugin take the old kernels' paths, so that
 * the tests run them. */
struct compat_features {
  int btf_error;     /* why the kernel's BTF could not be read, or 0 */
  int wrapper_id;    /* the BTF id of SYSCALL_WRAPPER, for fexit */
  /* 32-bit programs run here: the kernel has them (COMPAT_WITNESS) and
   * will run their syscalls (compat_32bit_runs), and why, for the
   * attach-mode notification */
  bool compat;
  char compat_why[96];
  bool ringbuf;      /* Linux 5.8, else a perf event array */
  bool btf_task;     /* 5.11, else bpf_probe_read_kernel per pointer */
  bool task_storage; /* 5.12, else a hash by thread id */
  /* A PREEMPT_RT kernel: fentry programs run there with preemption on
   * (a trampoline only disables migration), so that a thread preempted
   * inside one makes the kernel skip the same program for the next thread
   * on its CPU (a recursion miss), and interleaves per-CPU increments. The
   * other modes' programs run with preemption off. */
  bool preempt_rt;
};
const struct compat_features *compat_features(void);

/* Each fills why when it answers false. */
/* The kernel lets an fexit program attach to SYSCALL_WRAPPER. */
bool compat_fexit_allowed(char *why, size_t size);
/* A tracing program (fentry) detached can be attached again: not on 5.10. */
bool compat_tracing_reattach(void);
/* The kernel has kprobes (CONFIG_KPROBES). */
bool compat_kprobes(char *why, size_t size);
/* tracefs at dir has the setns exit tracepoint (CONFIG_FTRACE_SYSCALLS). */
bool compat_exit_tracepoint(const char *dir);

struct bpf_map;

/* The events map (ring buffer, else the perf event array it is declared
 * as) and the entry/exit pairing (task storage, else a hash), sized for
 * notify; 0 or a libbpf error. */
int compat_prepare_maps(struct bpf_map *events, struct bpf_map *entries,
                        bool notify);

/* The kernel's events as handle sees them, whichever map they come in. */
struct compat_buffer;
typedef void (*compat_handler)(const struct setns_event *e);
/* NULL, with errno set, if the map cannot be read. */
struct compat_buffer *compat_buffer_new(struct bpf_map *events,
                                        compat_handler handle);
/* Waits up to ms for events and hands over every one there; 0 or -errno. */
int compat_buffer_poll(struct compat_buffer *b, int ms);
void compat_buffer_free(struct compat_buffer *b);

#endif
