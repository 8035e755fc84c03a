/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/setns.c
 *
 * collectd plugin "setns": counts processes joining namespaces with setns(2)
 * through an embedded BPF program, dispatches the counts every interval and
 * one notification per join. This file holds the callbacks collectd calls
 * and the event thread; each part gets the settings from here.
 * plugin/README.md walks the data path through the others.
 */
#include "attach.h"
#include "base.h"
#include "budget.h"
#include "containers.h"
#include "counts.h"
#include "events.h"
#include "overhead.h"
#include "procfs.h"
#include "procs.h"
#include "residents.h"
#include "sessions.h"
#include "settings.h"

#include "setns.skel.h"

static const struct settings *cfg;
static struct setns_bpf *skel;
static enum attach_mode chosen;

/* The event thread: events_poll until shutdown or an error. */
static struct {
  pthread_t thread;
  bool started;
  bool stopped; /* by setns_flush, to be started again by a read */
  int stop;     /* atomic: set by thread_stop */
  int exited;   /* atomic: set by the thread as it ends */
  int error;    /* why it ended, read after exited */
} poller;

static void *poll_loop(void *arg __attribute__((unused))) {
  int err = 0;

  while (err >= 0 && !__atomic_load_n(&poller.stop, __ATOMIC_ACQUIRE)) {
    err = events_poll();
    if (err >= 0)
      err = sessions_poll();
  }
  events_flush();
  poller.error = err < 0 ? err : 0;
  __atomic_store_n(&poller.exited, 1, __ATOMIC_RELEASE);
  return NULL;
}

static int thread_start(void) {
  int err;

  poller.stop = 0;
  poller.exited = 0;
  err = plugin_thread_create(&poller.thread, poll_loop, NULL, "setns events");
  if (err != 0) {
    ERROR(PLUGIN_NAME " plugin: cannot start the event thread: %s",
          STRERROR(err));
    return -1;
  }
  poller.started = true;
  return 0;
}

/* The thread dispatches what it has grouped before it ends. */
static void thread_stop(void) {
  if (!poller.started)
    return;
  __atomic_store_n(&poller.stop, 1, __ATOMIC_RELEASE);
  pthread_join(poller.thread, NULL);
  poller.started = false;
}

/* From the read callback: a thread that died is reported and restarted,
 * one stopped by a flush started again. */
static int thread_check(void) {
  if (poller.stopped) {
    poller.stopped = false;
    return thread_start();
  }
  if (poller.started && !__atomic_load_n(&poller.exited, __ATOMIC_ACQUIRE))
    return 0;
  thread_stop();
  ERROR(PLUGIN_NAME " plugin: the event thread stopped (%s); restarting it",
        STRERROR(-poller.error));
  return thread_start();
}

static int setns_read(void) {
  struct prog_totals totals;

  if (counts_read(skel->maps.setns_counts, skel->maps.setns_errnos) != 0)
    return -1;
  counts_dispatch();
  attach_prog_totals(skel, &totals);
  overhead_dispatch(chosen, attach_reason(), &totals);
  if (cfg->by_process &&
      procs_read(skel->maps.setns_procs, counts_ncpus()) == 0)
    procs_dispatch();
  if (!cfg->notify)
    return 0;
  /* lost events are the program's count: the perf ring's own lost records
   * come only with a later event, if any */
  counts_dispatch_events(budget_interval());
  if (cfg->exec_sessions)
    counts_dispatch_sessions(sessions_dropped());
  return thread_check();
}

/* collectd flushes every plugin, with no timeout and no identifier, before
 * it calls any shutdown callback: the last moment at which the event
 * thread's notifications still reach every consumer (python, exec...).
 * The thread stops there; a read, if the daemon goes on after all (a
 * flush asked for with the same arguments), starts it again. */
static int setns_flush(cdtime_t timeout, const char *identifier,
                       user_data_t *ud __attribute__((unused))) {
  if (cfg->notify && timeout == 0 && identifier == NULL) {
    thread_stop();
    poller.stopped = true;
  }
  return 0;
}

/* The event path: the host's namespaces for the program, the budget on
 * its .bss, the reader and its thread. */
static int start_events(void) {
  struct budget_kernel kernel = {.paused = &skel->bss->events_paused,
                                 .paused_uid = &skel->bss->paused_uid,
                                 .interval_seq = &skel->bss->interval_seq,
                                 .pause_seq = &skel->bss->pause_seq,
                                 .entry_hooks = attach_entry_hooks};

  host_ns_read();
  memcpy(skel->bss->host_ns, host_ns, sizeof(skel->bss->host_ns));
  cgroup2_open();
  containers_open(cfg);
  budget_open(cfg, &kernel);
  if (events_open(skel->maps.setns_events, cfg) != 0 ||
      sessions_open(cfg, skel->maps.setns_session_events,
                    skel->maps.setns_sessions,
                    skel->maps.setns_session_kept) != 0)
    return -1;
  return thread_start();
}

/* ExecSessions follows the joins the event path judges (and needs a ring
 * buffer of its own, which attach.c checks). */
static int sessions_check(void) {
  if (!cfg->exec_sessions)
    return 0;
  if (!cfg->notify) {
    ERROR(PLUGIN_NAME " plugin: ExecSessions true needs Notifications true; "
                      "the plugin is disabled.");
    return -1;
  }
  return 0;
}

/* Load and attach, then what reads the program's maps. */
static int start(void) {
  struct attach_opts opts = {.notify = cfg->notify,
                             .by_process = cfg->by_process,
                             .types = cfg->types,
                             .failures = cfg->failures,
                             .uid_event_budget = budget_uid_events(cfg),
                             .sessions = cfg->exec_sessions,
                             .session_commands =
                                 (unsigned int)cfg->session_commands};

  if (counts_init() != 0 || overhead_open(cfg) != 0 || sessions_check() != 0)
    return -1;
  skel = attach_program(cfg->attach_mode, &opts, &chosen);
  if (skel == NULL)
    return -1;
  if (cfg->by_process &&
      (procs_alloc(cfg->max_procs) != 0 ||
       procs_overflow_create(skel->maps.setns_procs, counts_ncpus()) != 0))
    return -1;
  return cfg->notify ? start_events() : 0;
}

static int setns_shutdown(void) {
  thread_stop(); /* first: the thread reads the maps and the caches */
  events_close();
  sessions_close();
  budget_close(); /* before the .bss is unmapped */
  if (skel != NULL)
    attach_close(skel);
  skel = NULL;
  overhead_close();
  counts_free();
  procs_free();
  residents_free();
  containers_close();
  cgroup2_close();
  settings_reset();
  return 0;
}

static int setns_init(void) {
  cdtime_t began = cdtime();

  if (settings_failed())
    return -1; /* the ERROR naming the key was logged by settings_config */
  cfg = settings_get();
  if (start() != 0) {
    setns_shutdown();
    return -1;
  }
  /* What starting costs: the benchmark reads it. */
  INFO(PLUGIN_NAME " plugin: ready in %.1f ms (load, attach%s)",
       CDTIME_T_TO_DOUBLE(cdtime() - began) * 1000.0,
       cfg->notify ? ", event thread" : "");
  if (cfg->notify)
    plugin_register_flush(PLUGIN_NAME, setns_flush, NULL);
  return plugin_register_read(PLUGIN_NAME, setns_read);
}

/* The only symbol the plugin exports. */
__attribute__((visibility("default"))) void module_register(void) {
  plugin_register_complex_config(PLUGIN_NAME, settings_config);
  plugin_register_init(PLUGIN_NAME, setns_init);
  plugin_register_shutdown(PLUGIN_NAME, setns_shutdown);
}
