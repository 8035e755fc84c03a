/**
 * setns-collectd - plugin/setns.c
 *
 * collectd plugin "setns": counts processes joining namespaces with setns(2)
 * through an embedded BPF program, and dispatches the counts every interval.
 *
 * Data path: bpf/setns.bpf.c counts in per-CPU maps -> bpf/setns.h names the
 * slots -> this file sums them and dispatches "operations" per namespace
 * type and "errors" per errno.
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

#include "attach.c"
#include "names.c"

static struct {
  enum attach_mode attach_mode;
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
      used += snprintf(buf + used, size - used, "%s\"%s\"", sep,
                       v->value.string);
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

static int setns_config(oconfig_item_t *ci) {
  for (int i = 0; i < ci->children_num && !config_failed; i++) {
    const oconfig_item_t *child = ci->children + i;
    int status;

    if (strcasecmp("AttachMode", child->key) == 0)
      status = config_attach_mode(child);
    else
      status = config_reject(child, "unknown key");
    if (status != 0)
      config_failed = true;
  }
  return 0;
}

static void submit(const char *type, const char *type_instance,
                   uint64_t value) {
  value_list_t vl = VALUE_LIST_INIT;

  vl.values = &(value_t){.derive = (derive_t)value};
  vl.values_len = 1;
  sstrncpy(vl.plugin, PLUGIN_NAME, sizeof(vl.plugin));
  sstrncpy(vl.type, type, sizeof(vl.type));
  sstrncpy(vl.type_instance, type_instance, sizeof(vl.type_instance));
  plugin_dispatch_values(&vl);
}

/* Every namespace type from the first read, so graphs start at zero; an
 * errno only once it has happened, since most never will. */
static void dispatch_totals(void) {
  char name[DATA_MAX_NAME_LEN];

  for (unsigned int slot = 0; slot < SETNS_NS_TYPES; slot++)
    submit("operations", ns_slot_name(slot), counts[slot]);
  for (int err = 0; err < SETNS_ERRNO_SLOTS; err++) {
    if (errnos[err] == 0)
      continue;
    errno_name(err, name, sizeof(name));
    submit("errors", name, errnos[err]);
  }
}

/* The sum over CPUs of one slot of a per-CPU array. */
static int sum_slot(const struct bpf_map *map, uint32_t slot, uint64_t *sum) {
  size_t size = sizeof(*percpu) * (size_t)ncpus;
  int err = bpf_map__lookup_elem(map, &slot, sizeof(slot), percpu, size, 0);

  if (err != 0) {
    ERROR(PLUGIN_NAME " plugin: reading %s[%u] failed: %s",
          bpf_map__name(map), slot, STRERROR(-err));
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
  return 0;
}

static int setns_init(void) {
  enum attach_mode chosen = MODE_AUTO;

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
  skel = attach_program(config.attach_mode, &chosen);
  if (skel == NULL)
    return -1;
  return plugin_register_read(PLUGIN_NAME, setns_read);
}

static int setns_shutdown(void) {
  setns_bpf__destroy(skel); /* detaches every link, closes every map */
  skel = NULL;
  sfree(percpu);
  return 0;
}

void module_register(void) {
  plugin_register_complex_config(PLUGIN_NAME, setns_config);
  plugin_register_init(PLUGIN_NAME, setns_init);
  plugin_register_shutdown(PLUGIN_NAME, setns_shutdown);
}
