/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/dispatch.h
 *
 * Into collectd: values and notifications. With setns.c (the callbacks and
 * the event thread), the only part that calls collectd's plugin API.
 */
#ifndef SETNS_DISPATCH_H
#define SETNS_DISPATCH_H

#include "notice.h"

#include <stdint.h>

/* One DERIVE value under plugin "setns". */
void dispatch_derive(const char *plugin_instance, const char *type,
                     const char *type_instance, uint64_t value);
/* One GAUGE value under plugin "setns", no plugin_instance. */
void dispatch_gauge(const char *type, const char *type_instance, double value);
/* A notification under plugin "setns", at the wall-clock time of its
 * ts_ns; collectd copies what it keeps. */
void dispatch_notice(const struct notice *n);

#endif
