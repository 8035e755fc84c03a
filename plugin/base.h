/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/base.h
 *
 * What every part of the plugin includes first: collectd's headers and the
 * name every log line and value is prefixed with.
 */
#ifndef SETNS_BASE_H
#define SETNS_BASE_H

#include "daemon/collectd.h"
#include "daemon/plugin.h"
#include "utils/common/common.h"

#define PLUGIN_NAME "setns"

#endif
