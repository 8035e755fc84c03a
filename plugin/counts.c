/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/counts.c
 *
 * The program's per-CPU counts, summed and dispatched (see counts.h).
 */
#include "counts.h"
#include "base.h"
#include "dispatch.h"
#include "names.h"

#include <bpf/libbpf.h>

uint64_t counts[SETNS_SLOTS_REPORTED];
uint64_t errnos[SETNS_ERRNO_SLOTS];

static int ncpus;
static uint64_t *percpu; /* one value per possible CPU, for map lookups */

int counts_init(void) {
  ncpus = libbpf_num_possible_cpus();
  if (ncpus <= 0) {
    ERROR(PLUGIN_NAME " plugin: cannot count possible CPUs: %s",
          STRERROR(-ncpus));
    return -1;
  }
  percpu = calloc((size_t)ncpus, sizeof(*percpu));
  if (percpu == NULL) {
    ERROR(PLUGIN_NAME " plugin: out of memory");
    return -1;
  }
  return 0;
}

int counts_ncpus(void) { return ncpus; }

void counts_free(void) { sfree(percpu); }

void counts_dispatch(void) {
  char name[DATA_MAX_NAME_LEN];

  for (unsigned int slot = 0; slot < SETNS_NS_TYPES; slot++)
    dispatch_derive("", "operations", ns_slot_name(slot), counts[slot]);
  for (int err = 0; err < SETNS_ERRNO_SLOTS; err++) {
    if (errnos[err] == 0)
      continue;
    errno_name(err, name, sizeof(name));
    dispatch_derive("", "errors", name, errnos[err]);
  }
}

void counts_dispatch_events(uint64_t suppressed) {
  dispatch_derive("", "total_events", "events_lost",
                  counts[SETNS_SLOT_EVENTS_LOST]);
  dispatch_derive("", "total_events", "notifications_suppressed",
                  counts[SETNS_SLOT_EVENTS_PAUSED] + suppressed);
}

/* The sum over CPUs of one slot of a per-CPU array. */
static int sum_slot(const struct bpf_map *map, uint32_t slot, uint64_t *sum) {
  size_t size = sizeof(*percpu) * (size_t)ncpus;
  int err = bpf_map__lookup_elem(map, &slot, sizeof(slot), percpu, size, 0);

  if (err != 0) {
    ERROR(PLUGIN_NAME " plugin: reading %s[%u] failed: %s", bpf_map__name(map),
          slot, STRERROR(-err));
    return -1;
  }
  *sum = 0;
  for (int cpu = 0; cpu < ncpus; cpu++)
    *sum += percpu[cpu];
  return 0;
}

bool errnos_behind(void) {
  uint64_t sum = 0;

  for (int err = 0; err < SETNS_ERRNO_SLOTS; err++)
    sum += errnos[err];
  return sum != counts[SETNS_SLOT_FAILED];
}

int counts_read(const struct bpf_map *counts_map,
                const struct bpf_map *errnos_map) {
  for (uint32_t slot = 0; slot < SETNS_SLOTS_REPORTED; slot++)
    if (sum_slot(counts_map, slot, &counts[slot]) != 0)
      return -1;
  /* 512 lookups only when the errnos do not add up to the failures: a
   * call counted as failed after its errno was read is read next time. */
  if (!errnos_behind())
    return 0;
  for (uint32_t err = 0; err < SETNS_ERRNO_SLOTS; err++)
    if (sum_slot(errnos_map, err, &errnos[err]) != 0)
      return -1;
  return 0;
}

void counts_dispatch_sessions(uint64_t dropped) {
  dispatch_derive("", "total_events", "sessions_dropped",
                  counts[SETNS_SLOT_SESSIONS_DROPPED] + dropped);
  dispatch_derive("", "total_events", "session_processes_dropped",
                  counts[SETNS_SLOT_SESSION_PROCS_DROPPED]);
  dispatch_derive("", "total_events", "session_events_lost",
                  counts[SETNS_SLOT_SESSION_EVENTS_LOST]);
}
