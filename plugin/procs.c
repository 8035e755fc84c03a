/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/procs.c
 *
 * ReportByProcess: "operations" per process, under plugin_instance = comm
 * made safe for a Graphite path. The kernel counts per comm in a per-CPU
 * hash; here comms become instances, first come first kept, at most
 * MaxProcesses of them, the rest (and the kernel's overflow row) "other".
 */
#include "procs.h"
#include "base.h"
#include "dispatch.h"
#include "names.h"

#include <bpf/libbpf.h>

#define PROCS_OTHER "other"

struct proc_instance {
  char name[DATA_MAX_NAME_LEN];
  uint64_t ops[SETNS_NS_TYPES]; /* this read's totals */
  bool seen[SETNS_NS_TYPES];    /* dispatched once non-zero, ever after */
};

static struct {
  int max;                 /* MaxProcesses */
  struct proc_instance *v; /* up to max, in the order first seen */
  int num;
  struct proc_instance other;
} procs = {.other = {.name = PROCS_OTHER}};

int procs_alloc(int max) {
  procs.max = max;
  procs.v = calloc((size_t)procs.max, sizeof(*procs.v));
  if (procs.v == NULL) {
    ERROR(PLUGIN_NAME " plugin: out of memory");
    return -1;
  }
  procs.num = 0;
  return 0;
}

void procs_free(void) {
  sfree(procs.v);
  procs.num = 0;
}

/* The instance a kernel row adds to: its own while there is room (a
 * process named "other" shares that one). */
static struct proc_instance *procs_instance(const struct setns_proc_key *key) {
  char name[DATA_MAX_NAME_LEN];

  if (key->overflow)
    return &procs.other;
  sanitize_instance(key->comm, sizeof(key->comm), name, sizeof(name));
  for (int i = 0; i < procs.num; i++)
    if (strcmp(procs.v[i].name, name) == 0)
      return procs.v + i;
  if (procs.num == procs.max || strcmp(name, PROCS_OTHER) == 0)
    return &procs.other;
  sstrncpy(procs.v[procs.num].name, name, sizeof(procs.v[0].name));
  return procs.v + procs.num++;
}

/* The overflow row exists from the start, so that the program always has
 * somewhere to count once the map is full. */
int procs_overflow_create(const struct bpf_map *map, int ncpus) {
  struct setns_proc_key key = {.overflow = 1};
  size_t size = sizeof(uint64_t) * SETNS_NS_TYPES * (size_t)ncpus;
  void *zero = calloc(1, size);
  int err = zero ? bpf_map__update_elem(map, &key, sizeof(key), zero, size,
                                        BPF_NOEXIST)
                 : -ENOMEM;

  free(zero);
  if (err != 0)
    ERROR(PLUGIN_NAME " plugin: creating the overflow row of %s failed: %s",
          bpf_map__name(map), STRERROR(-err));
  return err;
}

int procs_read(const struct bpf_map *map, int ncpus) {
  size_t size = sizeof(uint64_t) * SETNS_NS_TYPES * (size_t)ncpus;
  struct setns_proc_key key, next;
  const void *prev = NULL;
  uint64_t *row = malloc(size);
  int err = row ? 0 : -ENOMEM;

  for (int i = 0; i < procs.num; i++)
    memset(procs.v[i].ops, 0, sizeof(procs.v[i].ops));
  memset(procs.other.ops, 0, sizeof(procs.other.ops));
  while (err == 0 &&
         bpf_map__get_next_key(map, prev, &next, sizeof(next)) == 0) {
    struct proc_instance *p = procs_instance(&next);

    key = next;
    prev = &key;
    if (bpf_map__lookup_elem(map, &key, sizeof(key), row, size, 0) != 0)
      continue; /* gone between the two calls: rows are never deleted */
    for (int cpu = 0; cpu < ncpus; cpu++)
      for (int t = 0; t < SETNS_NS_TYPES; t++)
        p->ops[t] += row[cpu * SETNS_NS_TYPES + t];
  }
  free(row);
  if (err != 0)
    ERROR(PLUGIN_NAME " plugin: reading %s failed: %s", bpf_map__name(map),
          STRERROR(-err));
  return err;
}

static void dispatch_instance(struct proc_instance *p) {
  for (int t = 0; t < SETNS_NS_TYPES; t++) {
    p->seen[t] = p->seen[t] || p->ops[t] != 0;
    if (p->seen[t])
      dispatch_derive(p->name, "operations", ns_slot_name((unsigned int)t),
                      p->ops[t]);
  }
}

void procs_dispatch(void) {
  for (int i = 0; i < procs.num; i++)
    dispatch_instance(procs.v + i);
  dispatch_instance(&procs.other);
}
