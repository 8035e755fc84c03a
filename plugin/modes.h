/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/modes.h
 *
 * The attach modes by name, apart from the loader (attach.c): the config
 * parses them and the plugin reports them without libbpf.
 */
#ifndef SETNS_MODES_H
#define SETNS_MODES_H

/* Cheapest first: the order in which "auto" tries them. */
enum attach_mode {
  MODE_FENTRY,
  MODE_KPROBE,
  MODE_TRACEPOINT,
  MODE_RAW_TRACEPOINT,
  MODE_COUNT,
  MODE_AUTO = MODE_COUNT,
};

/* Indexed by enum attach_mode, "auto" included: the AttachMode values. */
extern const char *const attach_mode_names[MODE_COUNT + 1];

/* The mode of an AttachMode value, case-insensitively; 0, or -1. */
int attach_mode_parse(const char *name, enum attach_mode *mode);

#endif
