/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/settings.h
 *
 * The <Plugin setns> block: every setting in one struct, its defaults, and
 * the config callback that fills it, kept here and handed out read-only.
 */
#ifndef SETNS_SETTINGS_H
#define SETNS_SETTINGS_H

#include "activity.h"
#include "match.h"
#include "modes.h"

#include "base.h"

#include <stdbool.h>
#include <stdint.h>

#define NS_PER_MS 1000000ULL
#define SETTINGS_PATH_LEN 256

struct settings {
  enum attach_mode attach_mode; /* AttachMode */
  bool notify;                  /* Notifications */
  int severity;                 /* NotificationSeverity, NOTIF_* */
  bool failures;                /* NotifyFailures */
  struct name_filter processes; /* Process, IgnoreSelected */
  unsigned int types;           /* NamespaceType: CLONE_NEW* flags */
  unsigned int activities;      /* Activity: 1 << enum activity */
  int max_per_interval;         /* MaxNotificationsPerInterval */
  uint64_t window_ns;           /* CoalesceWindow */
  bool by_process;              /* ReportByProcess */
  int max_procs;                /* MaxProcesses */
  bool report_overhead;         /* ReportOverhead */
  bool exec_sessions;           /* ExecSessions */
  int session_commands;         /* MaxSessionCommands */
  bool container_names;         /* ContainerNames */
  char docker_data_root[SETTINGS_PATH_LEN];    /* DockerDataRoot */
  char containerd_state[SETTINGS_PATH_LEN];    /* ContainerdState */
  char containers_storage[SETTINGS_PATH_LEN];  /* ContainersStorage */
  char containers_run_root[SETTINGS_PATH_LEN]; /* ContainersRunRoot */
};

extern const struct settings settings_defaults;

/* The settings as the config left them, for init to hand to each part:
 * no part reads them otherwise. */
const struct settings *settings_get(void);

/* collectd's complex config callback. A bad key or value is logged as one
 * ERROR and remembered, not returned: a failing config callback makes
 * collectd exit, and only the plugin should stop. */
int settings_config(oconfig_item_t *ci);
/* Whether a key or value was rejected; init then fails quietly. */
bool settings_failed(void);
/* Back to the defaults, the Process list freed. */
void settings_reset(void);

#endif
