/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/dispatch.c
 *
 * Values and notices into collectd (see dispatch.h).
 */
#include "dispatch.h"
#include "base.h"

_Static_assert(NOTICE_NAME_LEN == DATA_MAX_NAME_LEN, "a notice's names");
_Static_assert(NOTICE_MESSAGE_LEN == NOTIF_MAX_MSG_LEN, "a notice's message");

/* One value under plugin "setns". */
static void dispatch_value(const char *plugin_instance, const char *type,
                           const char *type_instance, value_t value) {
  value_list_t vl = VALUE_LIST_INIT;

  vl.values = &value;
  vl.values_len = 1;
  sstrncpy(vl.plugin, PLUGIN_NAME, sizeof(vl.plugin));
  sstrncpy(vl.plugin_instance, plugin_instance, sizeof(vl.plugin_instance));
  sstrncpy(vl.type, type, sizeof(vl.type));
  sstrncpy(vl.type_instance, type_instance, sizeof(vl.type_instance));
  plugin_dispatch_values(&vl);
}

void dispatch_derive(const char *plugin_instance, const char *type,
                     const char *type_instance, uint64_t value) {
  dispatch_value(plugin_instance, type, type_instance,
                 (value_t){.derive = (derive_t)value});
}

void dispatch_gauge(const char *type, const char *type_instance, double value) {
  dispatch_value("", type, type_instance, (value_t){.gauge = (gauge_t)value});
}

/* The wall-clock time of a kernel timestamp (CLOCK_MONOTONIC). */
static cdtime_t wall_time(uint64_t ts_ns) {
  uint64_t now_ns = monotonic_ns();
  cdtime_t now = cdtime();

  return ts_ns < now_ns ? now - NS_TO_CDTIME_T(now_ns - ts_ns) : now;
}

void dispatch_notice(const struct notice *in) {
  notification_t n = {.severity = in->severity, .time = wall_time(in->ts_ns)};

  sstrncpy(n.host, hostname_g, sizeof(n.host));
  sstrncpy(n.plugin, PLUGIN_NAME, sizeof(n.plugin));
  sstrncpy(n.plugin_instance, in->plugin_instance, sizeof(n.plugin_instance));
  sstrncpy(n.type, in->type, sizeof(n.type));
  sstrncpy(n.type_instance, in->type_instance, sizeof(n.type_instance));
  sstrncpy(n.message, in->message, sizeof(n.message));
  for (int i = 0; i < in->nmeta; i++) {
    const struct notice_meta *m = in->meta + i;

    if (m->number)
      plugin_notification_meta_add_unsigned_int(&n, m->key, m->num);
    else
      plugin_notification_meta_add_string(&n, m->key, in->text + m->off);
  }
  plugin_dispatch_notification(&n);
  plugin_notification_meta_free(n.meta);
}
