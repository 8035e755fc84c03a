/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/attach.h
 *
 * Chooses how the BPF program hooks setns(2), loads it and attaches it.
 */
#ifndef SETNS_ATTACH_H
#define SETNS_ATTACH_H

#include "modes.h"

#include <stdbool.h>
#include <stdint.h>

/* What the program is loaded for, beyond the counts. */
struct attach_opts {
  bool notify;        /* send events, with the entry hooks they need */
  bool by_process;    /* count per process */
  unsigned int types; /* CLONE_NEW* notified (NamespaceType) */
  bool failures;      /* failed calls notified (NotifyFailures) */
  unsigned int uid_event_budget; /* events per uid and interval; 0: none */
  bool sessions;                 /* ExecSessions: fork, exec, exit hooks */
  unsigned int session_commands; /* MaxSessionCommands */
};

struct setns_bpf; /* the skeleton, setns.skel.h */

/* Loads and attaches the program in mode want, or the cheapest that works
 * for MODE_AUTO; logs the mode chosen at INFO. NULL after one ERROR line. */
struct setns_bpf *attach_program(enum attach_mode want,
                                 const struct attach_opts *opts,
                                 enum attach_mode *chosen);

/* Why the mode was chosen: "AttachMode", or "auto; " and the modes
 * passed over with why, as logged. */
const char *attach_reason(void);

/* With notifications: attaches the mode's entry programs (on) or detaches
 * them, which the event path does while no event can be sent; 0 or
 * -errno. */
int attach_entry_hooks(bool on);

/* Detaches everything and frees the skeleton. */
void attach_close(struct setns_bpf *skel);

/* The programs' totals since load. missed: how many times the kernel
 * skipped one of them (recursion, another BPF program running on the
 * CPU), calls neither counted nor notified; 0 where the kernel does not
 * count them (collectd-setns(5), "Missed runs"). run_ns and runs: their
 * run time and runs, which the kernel keeps only while BPF statistics are
 * on. */
struct prog_totals {
  uint64_t run_ns;
  uint64_t runs;
  uint64_t missed;
};
void attach_prog_totals(const struct setns_bpf *skel, struct prog_totals *t);

#endif
