/**
 * setns-collectd - plugin/setns.c
 *
 * collectd plugin "setns": counts processes joining namespaces with setns(2)
 * through an embedded BPF program, and dispatches the counts every interval.
 *
 * Data path: bpf/setns.bpf.c counts in per-CPU maps and sends events ->
 * bpf/setns.h names the slots and the event -> this file sums the counts
 * and dispatches "operations" per namespace type and "errors" per errno;
 * events.c turns the events into notifications.
 *
 * The plugin is one translation unit: the files included below are split by
 * concern but compiled here, so that every function but module_register is
 * static and nothing else is exported into collectd.
 */

#define _GNU_SOURCE /* strerrorname_np */

#include "daemon/collectd.h"
#include "daemon/plugin.h"
#include "utils/common/common.h"

#define PLUGIN_NAME "setns"

/* The parts below use those above them. */
#include "attach.c"
#include "match.c"
#include "names.c"
#include "procfs.c"

#include "events.c"
#include "procs.c"

static struct {
  enum attach_mode attach_mode;
  bool by_process;
} config = {
    .attach_mode = MODE_AUTO,
};

/* A bad key or value is remembered, not returned: a failing config callback
 * makes collectd exit, and only the plugin should stop. init reports it. */
static bool config_failed;

static struct setns_bpf *skel;
static int ncpus;
static uint64_t *percpu; /* one value per possible CPU, for map lookups */

/* Totals since load. The errno slots are dispatched once seen non-zero. */
static uint64_t counts[SETNS_SLOTS];
static uint64_t errnos[SETNS_ERRNO_SLOTS];

/* The values of a config line as the user wrote them, for error messages. */
static void config_describe(const oconfig_item_t *ci, char *buf, size_t size) {
  size_t used = 0;

  buf[0] = '\0';
  for (int i = 0; i < ci->values_num && used < size; i++) {
    const oconfig_value_t *v = ci->values + i;
    const char *sep = i ? " " : "";

    if (v->type == OCONFIG_TYPE_STRING)
      used +=
          snprintf(buf + used, size - used, "%s\"%s\"", sep, v->value.string);
    else if (v->type == OCONFIG_TYPE_NUMBER)
      used += snprintf(buf + used, size - used, "%s%g", sep, v->value.number);
    else
      used += snprintf(buf + used, size - used, "%s%s", sep,
                       v->value.boolean ? "true" : "false");
  }
  if (ci->values_num == 0)
    snprintf(buf, size, "(no value)");
}

/* One line, one ERROR: the key, the value as written, and what was wanted. */
static int config_reject(const oconfig_item_t *ci, const char *wanted) {
  char given[256];

  config_describe(ci, given, sizeof(given));
  ERROR(PLUGIN_NAME " plugin: %s %s: %s; the plugin is disabled.", ci->key,
        given, wanted);
  return -1;
}

static const char *config_string(const oconfig_item_t *ci) {
  if (ci->values_num != 1 || ci->values[0].type != OCONFIG_TYPE_STRING)
    return NULL;
  return ci->values[0].value.string;
}

static int config_attach_mode(const oconfig_item_t *ci) {
  const char *value = config_string(ci);

  if (value == NULL || mode_parse(value, &config.attach_mode) != 0)
    return config_reject(ci, "expected one of \"auto\", \"fentry\", "
                             "\"kprobe\", \"tracepoint\", "
                             "\"raw_tracepoint\"");
  return 0;
}

/* true/false, as collectd's own cf_util_get_boolean takes them. */
static int config_bool(const oconfig_item_t *ci, bool *out) {
  const char *s = config_string(ci);

  if (ci->values_num == 1 && ci->values[0].type == OCONFIG_TYPE_BOOLEAN)
    *out = ci->values[0].value.boolean;
  else if (s && (!strcasecmp(s, "true") || !strcasecmp(s, "yes") ||
                 !strcasecmp(s, "on")))
    *out = true;
  else if (s && (!strcasecmp(s, "false") || !strcasecmp(s, "no") ||
                 !strcasecmp(s, "off")))
    *out = false;
  else
    return config_reject(ci, "expected true or false");
  return 0;
}

/* A whole number in [min, max]. */
static int config_int(const oconfig_item_t *ci, int min, int max, int *out) {
  char wanted[128];
  double v = ci->values_num == 1 && ci->values[0].type == OCONFIG_TYPE_NUMBER
                 ? ci->values[0].value.number
                 : NAN;

  if (!(v >= min && v <= max) || v != (double)(int)v) {
    snprintf(wanted, sizeof(wanted), "expected a whole number from %d to %d",
             min, max);
    return config_reject(ci, wanted);
  }
  *out = (int)v;
  return 0;
}

static int config_severity(const oconfig_item_t *ci) {
  const char *value = config_string(ci);
  int severity = value ? parse_notif_severity(value) : -1;

  if (severity < 0)
    return config_reject(ci, "expected \"okay\", \"warning\" or "
                             "\"failure\"");
  notify_config.severity = severity;
  return 0;
}

static int config_process(const oconfig_item_t *ci) {
  const char *value = config_string(ci);
  char why[256] = "expected a name or a /regex/";

  if (value == NULL || value[0] == '\0' ||
      name_filter_add(value, why, sizeof(why)) != 0)
    return config_reject(ci, why);
  return 0;
}

/* The first NamespaceType line replaces "all" with itself. */
static int config_ns_type(const oconfig_item_t *ci, bool *listed) {
  const char *value = config_string(ci);
  int slot = value ? ns_name_slot(value) : -1;

  if (slot < 0)
    return config_reject(ci, "expected one of \"net\", \"mnt\", \"pid\", "
                             "\"uts\", \"ipc\", \"user\", \"cgroup\", "
                             "\"time\"");
  if (!*listed)
    notify_config.types = 0;
  *listed = true;
  notify_config.types |= ns_types[slot].flag;
  return 0;
}

static int config_window(const oconfig_item_t *ci) {
  int ms = 0;

  if (config_int(ci, 0, 10000, &ms) != 0)
    return -1;
  notify_config.window_ns = (uint64_t)ms * 1000000ULL;
  return 0;
}

static int config_key(const oconfig_item_t *ci, bool *types_listed) {
  const char *key = ci->key;

  if (strcasecmp("AttachMode", key) == 0)
    return config_attach_mode(ci);
  if (strcasecmp("Notifications", key) == 0)
    return config_bool(ci, &notify_config.enabled);
  if (strcasecmp("NotificationSeverity", key) == 0)
    return config_severity(ci);
  if (strcasecmp("NotifyFailures", key) == 0)
    return config_bool(ci, &notify_config.failures);
  if (strcasecmp("Process", key) == 0)
    return config_process(ci);
  if (strcasecmp("IgnoreSelected", key) == 0)
    return config_bool(ci, &name_filter.ignore_selected);
  if (strcasecmp("NamespaceType", key) == 0)
    return config_ns_type(ci, types_listed);
  if (strcasecmp("MaxNotificationsPerInterval", key) == 0)
    return config_int(ci, 1, 1000000, &notify_config.max_per_interval);
  if (strcasecmp("CoalesceWindow", key) == 0)
    return config_window(ci);
  if (strcasecmp("ReportByProcess", key) == 0)
    return config_bool(ci, &config.by_process);
  if (strcasecmp("MaxProcesses", key) == 0)
    return config_int(ci, 1, PROCS_MAX, &procs.max);
  return config_reject(ci, "unknown key");
}

static int setns_config(oconfig_item_t *ci) {
  bool types_listed = false;

  for (int i = 0; i < ci->children_num && !config_failed; i++)
    if (config_key(ci->children + i, &types_listed) != 0)
      config_failed = true;
  return 0;
}

static void submit(const char *plugin_instance, const char *type,
                   const char *type_instance, uint64_t value) {
  value_list_t vl = VALUE_LIST_INIT;

  vl.values = &(value_t){.derive = (derive_t)value};
  vl.values_len = 1;
  sstrncpy(vl.plugin, PLUGIN_NAME, sizeof(vl.plugin));
  sstrncpy(vl.plugin_instance, plugin_instance, sizeof(vl.plugin_instance));
  sstrncpy(vl.type, type, sizeof(vl.type));
  sstrncpy(vl.type_instance, type_instance, sizeof(vl.type_instance));
  plugin_dispatch_values(&vl);
}

/* Every namespace type from the first read, so graphs start at zero; an
 * errno only once it has happened, since most never will. */
static void dispatch_totals(void) {
  char name[DATA_MAX_NAME_LEN];

  for (unsigned int slot = 0; slot < SETNS_NS_TYPES; slot++)
    submit("", "operations", ns_slot_name(slot), counts[slot]);
  for (int err = 0; err < SETNS_ERRNO_SLOTS; err++) {
    if (errnos[err] == 0)
      continue;
    errno_name(err, name, sizeof(name));
    submit("", "errors", name, errnos[err]);
  }
}

/* What the event path could not deliver, from the first read on. */
static void dispatch_event_stats(void) {
  uint64_t suppressed, lost;

  events_interval(&suppressed, &lost);
  submit("", "total_events", "events_lost",
         counts[SETNS_SLOT_EVENTS_LOST] + lost);
  submit("", "total_events", "notifications_suppressed",
         counts[SETNS_SLOT_EVENTS_PAUSED] + suppressed);
}

/* A process's types once non-zero, from then on. */
static void dispatch_instance(struct proc_instance *p) {
  for (int t = 0; t < SETNS_NS_TYPES; t++) {
    p->seen[t] = p->seen[t] || p->ops[t] != 0;
    if (p->seen[t])
      submit(p->name, "operations", ns_slot_name(t), p->ops[t]);
  }
}

static void dispatch_procs(void) {
  for (int i = 0; i < procs.num; i++)
    dispatch_instance(procs.v + i);
  dispatch_instance(&procs.other);
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

static int read_totals(void) {
  uint64_t failed = counts[SETNS_SLOT_FAILED];

  for (uint32_t slot = 0; slot < SETNS_SLOTS; slot++)
    if (sum_slot(skel->maps.setns_counts, slot, &counts[slot]) != 0)
      return -1;
  /* 512 lookups only when some call failed since the last read. */
  if (counts[SETNS_SLOT_FAILED] == failed)
    return 0;
  for (uint32_t err = 0; err < SETNS_ERRNO_SLOTS; err++)
    if (sum_slot(skel->maps.setns_errnos, err, &errnos[err]) != 0)
      return -1;
  return 0;
}

static int setns_read(void) {
  if (read_totals() != 0)
    return -1;
  dispatch_totals();
  if (config.by_process && procs_read(skel->maps.setns_procs, ncpus) == 0)
    dispatch_procs();
  if (notify_config.enabled) {
    dispatch_event_stats();
    return poller_check();
  }
  return 0;
}

/* Load and attach, then what reads the program's maps. */
static int start(void) {
  struct attach_opts opts = {.notify = notify_config.enabled,
                             .by_process = config.by_process,
                             .types = notify_config.types,
                             .failures = notify_config.failures};
  enum attach_mode chosen = MODE_AUTO;

  skel = attach_program(config.attach_mode, &opts, &chosen);
  if (skel == NULL)
    return -1;
  if (config.by_process &&
      (procs_alloc() != 0 ||
       procs_overflow_create(skel->maps.setns_procs, ncpus) != 0))
    return -1;
  if (notify_config.enabled) {
    host_ns_read();
    cgroup2_open();
    if (events_open(skel->maps.setns_events, &skel->bss->events_paused) != 0)
      return -1;
  }
  return 0;
}

static int setns_shutdown(void) {
  events_close(); /* first: the thread reads the maps and the caches */
  setns_bpf__destroy(skel); /* detaches every link, closes every map */
  skel = NULL;
  sfree(percpu);
  procs_free();
  owners_free();
  cgroup2_close();
  name_filter_free();
  return 0;
}

static int setns_init(void) {
  cdtime_t began = cdtime();

  if (config_failed)
    return -1; /* the ERROR naming the key was logged by setns_config */
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
  if (start() != 0) {
    setns_shutdown();
    return -1;
  }
  /* What starting costs: the benchmark reads it. */
  INFO(PLUGIN_NAME " plugin: ready in %.1f ms (load, attach%s)",
       CDTIME_T_TO_DOUBLE(cdtime() - began) * 1000.0,
       notify_config.enabled ? ", event thread" : "");
  return plugin_register_read(PLUGIN_NAME, setns_read);
}

void module_register(void) {
  plugin_register_complex_config(PLUGIN_NAME, setns_config);
  plugin_register_init(PLUGIN_NAME, setns_init);
  plugin_register_shutdown(PLUGIN_NAME, setns_shutdown);
}
