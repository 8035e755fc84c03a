/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/setns.c
 *
 * collectd plugin "setns": counts processes joining namespaces with setns(2)
 * through an embedded BPF program, dispatches the counts every interval and
 * one notification per join. This file holds the callbacks collectd calls;
 * the README's "Source layout" walks the data path through the others.
 */
#include "attach.h"
#include "base.h"
#include "counts.h"
#include "events.h"
#include "overhead.h"
#include "procfs.h"
#include "procs.h"
#include "residents.h"
#include "settings.h"

#include "setns.skel.h"

static struct setns_bpf *skel;
static enum attach_mode chosen;

static int setns_read(void) {
  struct prog_totals totals;
  uint64_t suppressed;

  if (counts_read(skel->maps.setns_counts, skel->maps.setns_errnos) != 0)
    return -1;
  counts_dispatch();
  attach_prog_totals(skel, &totals);
  overhead_dispatch(chosen, &totals);
  if (settings.by_process &&
      procs_read(skel->maps.setns_procs, counts_ncpus()) == 0)
    procs_dispatch();
  if (!settings.notify)
    return 0;
  events_interval(&suppressed);
  counts_dispatch_events(suppressed);
  return events_check();
}

/* collectd flushes every plugin, with no timeout and no identifier, before
 * it calls any shutdown callback: the last moment at which the event
 * thread's notifications still reach every consumer (python, exec...).
 * The thread stops there; a read, if the daemon goes on after all (a
 * flush asked for with the same arguments), starts it again. */
static int setns_flush(cdtime_t timeout, const char *identifier,
                       user_data_t *ud __attribute__((unused))) {
  if (settings.notify && timeout == 0 && identifier == NULL)
    events_stop();
  return 0;
}

/* Load and attach, then what reads the program's maps. */
static int start(void) {
  struct attach_opts opts = {.notify = settings.notify,
                             .by_process = settings.by_process,
                             .types = settings.types,
                             .failures = settings.failures,
                             .uid_event_budget = events_uid_budget()};
  struct events_kernel kernel;

  if (counts_init() != 0 || overhead_open() != 0)
    return -1;
  skel = attach_program(settings.attach_mode, &opts, &chosen);
  if (skel == NULL)
    return -1;
  if (settings.by_process &&
      (procs_alloc(settings.max_procs) != 0 ||
       procs_overflow_create(skel->maps.setns_procs, counts_ncpus()) != 0))
    return -1;
  if (settings.notify) {
    host_ns_read();
    memcpy(skel->bss->host_ns, host_ns, sizeof(skel->bss->host_ns));
    cgroup2_open();
    kernel = (struct events_kernel){.paused = &skel->bss->events_paused,
                                    .paused_uid = &skel->bss->paused_uid,
                                    .interval_seq = &skel->bss->interval_seq,
                                    .entry_hooks = attach_entry_hooks};
    if (events_open(skel->maps.setns_events, &kernel) != 0)
      return -1;
  }
  return 0;
}

static int setns_shutdown(void) {
  events_close(); /* first: the thread reads the maps and the caches */
  if (skel != NULL)
    attach_close(skel);
  skel = NULL;
  overhead_close();
  counts_free();
  procs_free();
  residents_free();
  cgroup2_close();
  settings_reset();
  return 0;
}

static int setns_init(void) {
  cdtime_t began = cdtime();

  if (settings_failed())
    return -1; /* the ERROR naming the key was logged by settings_config */
  if (start() != 0) {
    setns_shutdown();
    return -1;
  }
  /* What starting costs: the benchmark reads it. */
  INFO(PLUGIN_NAME " plugin: ready in %.1f ms (load, attach%s)",
       CDTIME_T_TO_DOUBLE(cdtime() - began) * 1000.0,
       settings.notify ? ", event thread" : "");
  if (settings.notify)
    plugin_register_flush(PLUGIN_NAME, setns_flush, NULL);
  return plugin_register_read(PLUGIN_NAME, setns_read);
}

/* The only symbol the plugin exports. */
__attribute__((visibility("default"))) void module_register(void) {
  plugin_register_complex_config(PLUGIN_NAME, settings_config);
  plugin_register_init(PLUGIN_NAME, setns_init);
  plugin_register_shutdown(PLUGIN_NAME, setns_shutdown);
}
