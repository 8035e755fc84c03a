/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/kprobes.h
 *
 * The kprobe mode's probes, made as tracefs kprobe events rather than
 * through the kprobe PMU: only those take a kretprobe's maxactive and
 * report the hits the kernel missed.
 */
#ifndef SETNS_KPROBES_H
#define SETNS_KPROBES_H

#include <stdbool.h>
#include <stdint.h>

/* Where tracefs is, mounted there by attach.c when nobody has. */
#define TRACEFS "/sys/kernel/tracing"

struct bpf_program;

/* Attaches prog to func's entry, or its return with ret; 0 or -errno. */
int kprobes_attach(struct bpf_program *prog, const char *func, bool ret);
/* Detaches prog from its probes (on false), leaving the events in place,
 * or attaches it again; 0 or -errno. */
int kprobes_link(const struct bpf_program *prog, bool on);
/* Detaches every probe and removes its event. */
void kprobes_detach(void);
/* The hits the kernel missed on the probes (kprobe_profile), since made. */
uint64_t kprobes_missed(void);

#endif
