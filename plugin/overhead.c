/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/overhead.c
 *
 * The attach mode and the programs' own cost (see overhead.h).
 */
#include "overhead.h"
#include "base.h"
#include "dispatch.h"
#include "notice.h"

#include <bpf/bpf.h>
#include <unistd.h>

static int stats_fd = -1;
static bool mode_announced;

int overhead_open(const struct settings *s) {
  mode_announced = false;
  if (!s->report_overhead)
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
static void announce_mode(enum attach_mode mode, const char *reason) {
  static struct notice n; /* 12 KiB: not on collectd's read thread's stack */

  n = (struct notice){.severity = NOTIF_OKAY,
                      .ts_ns = monotonic_ns(),
                      .type = "gauge",
                      .type_instance = "attach_mode"};
  snprintf(n.message, sizeof(n.message), "attached in %s mode (%s)",
           attach_mode_names[mode], reason);
  notice_string(&n, "mode", attach_mode_names[mode]);
  notice_string(&n, "reason", reason);
  notice_unsigned(&n, "mode_value", (uint64_t)mode + 1);
  dispatch_notice(&n);
}

void overhead_dispatch(enum attach_mode mode, const char *reason,
                       const struct prog_totals *t) {
  if (!mode_announced) {
    announce_mode(mode, reason);
    mode_announced = true;
  }
  /* 1 fentry, 2 kprobe, 3 tracepoint, 4 raw_tracepoint: cheaper is lower,
   * and a change of mode is a step in the graph. */
  dispatch_gauge("gauge", "attach_mode", (double)mode + 1);
  dispatch_derive("", "total_events", "runs_missed", t->missed);
  if (stats_fd < 0)
    return;
  dispatch_derive("", "derive", "bpf_run_time_ns", t->run_ns);
  dispatch_derive("", "total_operations", "bpf_runs", t->runs);
}
