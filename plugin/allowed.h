/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/allowed.h
 *
 * Whether this collectd may load BPF programs at all: its capabilities,
 * the kernel's answer to a map, and the kernel's BTF. Asked once, before
 * any attach mode is tried, so that one ERROR says why rather than every
 * mode failing with EPERM.
 */
#ifndef SETNS_ALLOWED_H
#define SETNS_ALLOWED_H

/* 0, or -1 after one ERROR naming what is missing. */
int allowed_bpf(void);

#endif
