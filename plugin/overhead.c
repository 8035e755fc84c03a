/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/overhead.c
 *
 * The attach mode and the programs' own cost (see overhead.h).
 */
#include "overhead.h"
#include "base.h"
#include "counts.h"
#include "settings.h"

#include <bpf/bpf.h>
#include <unistd.h>

static int stats_fd = -1;
static bool mode_announced;

int overhead_open(void) {
  mode_announced = false;
  if (!settings.report_overhead)
    return 0;
  /* The kernel keeps run times while any such fd is open (or the sysctl
   * kernel.bpf_stats_enabled is set), and stops when the last one closes:
   * collectd dying leaves nothing switched on. */
  stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
  if (stats_fd >= 0)
    return 0;
  ERROR(PLUGIN_NAME " plugin: ReportOverhead: the kernel does not keep BPF "
                    "run times (BPF_ENABLE_STATS, Linux 5.8+): %s",
        STRERRNO);
  return -1;
}

void overhead_close(void) {
  if (stats_fd >= 0)
    close(stats_fd);
  stats_fd = -1;
}

/* One notification, severity okay, the first time values are dispatched:
 * consumers that alert on a change of mode (a kernel upgrade that loses
 * fentry, say) get it at every start. */
static void announce_mode(enum attach_mode mode) {
  notification_t n = {.severity = NOTIF_OKAY, .time = cdtime()};

  sstrncpy(n.host, hostname_g, sizeof(n.host));
  sstrncpy(n.plugin, PLUGIN_NAME, sizeof(n.plugin));
  sstrncpy(n.type, "gauge", sizeof(n.type));
  sstrncpy(n.type_instance, "attach_mode", sizeof(n.type_instance));
  snprintf(n.message, sizeof(n.message), "attached in %s mode (%s)",
           attach_mode_names[mode], attach_reason());
  plugin_notification_meta_add_string(&n, "mode", attach_mode_names[mode]);
  plugin_notification_meta_add_string(&n, "reason", attach_reason());
  plugin_notification_meta_add_unsigned_int(&n, "mode_value",
                                            (uint64_t)mode + 1);
  plugin_dispatch_notification(&n);
  plugin_notification_meta_free(n.meta);
}

void overhead_dispatch(enum attach_mode mode, const struct prog_totals *t) {
  value_list_t vl = VALUE_LIST_INIT;

  if (!mode_announced) {
    announce_mode(mode);
    mode_announced = true;
  }
  /* 1 fentry, 2 kprobe, 3 tracepoint, 4 raw_tracepoint: cheaper is lower,
   * and a change of mode is a step in the graph. */
  vl.values = &(value_t){.gauge = (gauge_t)mode + 1};
  vl.values_len = 1;
  sstrncpy(vl.plugin, PLUGIN_NAME, sizeof(vl.plugin));
  sstrncpy(vl.type, "gauge", sizeof(vl.type));
  sstrncpy(vl.type_instance, "attach_mode", sizeof(vl.type_instance));
  plugin_dispatch_values(&vl);
  dispatch_derive("", "total_events", "runs_missed", t->missed);
  if (stats_fd < 0)
    return;
  dispatch_derive("", "derive", "bpf_run_time_ns", t->run_ns);
  dispatch_derive("", "total_operations", "bpf_runs", t->runs);
}
