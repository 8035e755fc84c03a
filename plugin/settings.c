/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/settings.c
 *
 * The <Plugin setns> block, parsed as collectd's own plugins do: a loop
 * over the children matching keys case-insensitively, one parser per key,
 * unknown keys rejected. Every error names the key, the value as written
 * and what was wanted, built from the same tables that parse the values.
 */
#include "settings.h"
#include "names.h"

#include <math.h>

/* One initializer for both: only gcc takes a const object as a constant
 * expression, ISO C and clang do not. Activities: not start and plumbing,
 * every container start makes them. */
#define SETTINGS_DEFAULTS                                                      \
  {                                                                            \
    .attach_mode = MODE_AUTO, .notify = true, .severity = NOTIF_WARNING,       \
    .types = ~0U,                                                              \
    .activities = 1U << ACT_EXEC | 1U << ACT_ENTER | 1U << ACT_ESCAPE |        \
                  1U << ACT_LATERAL,                                           \
    .max_per_interval = 100, .window_ns = 100 * NS_PER_MS, .max_procs = 64,    \
    .session_commands = 16, .container_names = true,                           \
    .docker_data_root = "/var/lib/docker",                                     \
    .containerd_state = "/run/containerd",                                     \
    .containers_storage = "/var/lib/containers/storage",                       \
    .containers_run_root = "/run/containers/storage",                          \
  }

const struct settings settings_defaults = SETTINGS_DEFAULTS;
/* Filled by the config callback, read by init only: each part gets a
 * const pointer to it from there (settings_get). */
static struct settings settings = SETTINGS_DEFAULTS;

static bool failed;

/* Keys whose first line replaces the default list: over every <Plugin
 * setns> block, as collectd merges them, not once per block. */
static struct { bool types, activities; } listed;

/* NotificationSeverity, by collectd's own names. */
static const char *const severity_names[] = {"okay", "warning", "failure"};

#define MAX_PER_INTERVAL_MAX 1000000
#define WINDOW_MS_MAX 10000
#define SESSION_COMMANDS_MAX 256

bool settings_failed(void) { return failed; }

const struct settings *settings_get(void) { return &settings; }

void settings_reset(void) {
  name_filter_free(&settings.processes);
  settings = settings_defaults;
  failed = false;
  listed.types = listed.activities = false;
}

/* Values of a config line as the user wrote them, for error messages. */
static void config_describe(const oconfig_value_t *values, int num, char *buf,
                            size_t size) {
  size_t used = 0;

  buf[0] = '\0';
  for (int i = 0; i < num && used < size; i++) {
    const oconfig_value_t *v = values + i;
    const char *sep = i ? " " : "";

    if (v->type == OCONFIG_TYPE_STRING)
      used += (size_t)snprintf(buf + used, size - used, "%s\"%s\"", sep,
                               v->value.string);
    else if (v->type == OCONFIG_TYPE_NUMBER)
      used += (size_t)snprintf(buf + used, size - used, "%s%.15g", sep,
                               v->value.number);
    else
      used += (size_t)snprintf(buf + used, size - used, "%s%s", sep,
                               v->value.boolean ? "true" : "false");
  }
  if (num == 0)
    snprintf(buf, size, "(no value)");
}

/* One ERROR: the key, the values as written (all of the line's, or the one
 * of a list that is wrong), and what was wanted. */
static int config_reject_values(const oconfig_item_t *ci,
                                const oconfig_value_t *values, int num,
                                const char *wanted) {
  char given[256];

  config_describe(values, num, given, sizeof(given));
  ERROR(PLUGIN_NAME " plugin: %s %s: %s; the plugin is disabled.", ci->key,
        given, wanted);
  return -1;
}

static int config_reject(const oconfig_item_t *ci, const char *wanted) {
  return config_reject_values(ci, ci->values, ci->values_num, wanted);
}

/* "expected one of ..." from the table the value is looked up in; value
 * is the one at fault, or NULL for the whole line. */
static int config_reject_choice(const oconfig_item_t *ci,
                                const oconfig_value_t *value,
                                const char *const *names, size_t num) {
  char list[256], wanted[300];

  choices_list(names, num, list, sizeof(list));
  snprintf(wanted, sizeof(wanted), "expected one of %s", list);
  if (value == NULL)
    return config_reject(ci, wanted);
  return config_reject_values(ci, value, 1, wanted);
}

static const char *value_string(const oconfig_value_t *v) {
  return v->type == OCONFIG_TYPE_STRING ? v->value.string : NULL;
}

static const char *config_string(const oconfig_item_t *ci) {
  return ci->values_num == 1 ? value_string(ci->values) : NULL;
}

static int config_attach_mode(const oconfig_item_t *ci) {
  const char *value = config_string(ci);

  if (value == NULL || attach_mode_parse(value, &settings.attach_mode) != 0)
    return config_reject_choice(ci, NULL, attach_mode_names,
                                STATIC_ARRAY_SIZE(attach_mode_names));
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
    return config_reject_choice(ci, NULL, severity_names,
                                STATIC_ARRAY_SIZE(severity_names));
  settings.severity = severity;
  return 0;
}

/* Process, NamespaceType and Activity are lists: one or more strings a
 * line, and the lines add up. Each takes one value; the first wrong one is
 * named alone. */
typedef int (*list_add_fn)(const oconfig_item_t *ci, const oconfig_value_t *v);

static int config_list(const oconfig_item_t *ci, list_add_fn add) {
  if (ci->values_num == 0)
    return config_reject(ci, "expected one or more strings");
  for (int i = 0; i < ci->values_num; i++)
    if (add(ci, ci->values + i) != 0)
      return -1;
  return 0;
}

static int process_add(const oconfig_item_t *ci, const oconfig_value_t *v) {
  const char *value = value_string(v);
  char why[256] = "expected a name or a /regex/";

  if (value == NULL || value[0] == '\0' ||
      name_filter_add(&settings.processes, value, why, sizeof(why)) != 0)
    return config_reject_values(ci, v, 1, why);
  return 0;
}

/* The first NamespaceType value replaces "all" with itself. */
static int ns_type_add(const oconfig_item_t *ci, const oconfig_value_t *v) {
  const char *value = value_string(v);
  int slot = value ? ns_name_slot(value) : -1;
  const char *names[SETNS_NS_TYPES];

  if (slot < 0) {
    ns_names(names);
    return config_reject_choice(ci, v, names, SETNS_NS_TYPES);
  }
  if (!listed.types)
    settings.types = 0;
  listed.types = true;
  settings.types |= ns_slot_flag((unsigned int)slot);
  return 0;
}

/* The first Activity value replaces the default set with itself. Every
 * activity a join may have: all but "failed", the last, which is
 * NotifyFailures' business. */
static int activity_add(const oconfig_item_t *ci, const oconfig_value_t *v) {
  const char *value = value_string(v);
  enum activity act = ACT_FAILED;

  if (value == NULL || activity_parse(value, &act) != 0 || act == ACT_FAILED)
    return config_reject_choice(ci, v, activity_names, ACT_FAILED);
  if (!listed.activities)
    settings.activities = 0;
  listed.activities = true;
  settings.activities |= 1U << act;
  return 0;
}

static int config_window(const oconfig_item_t *ci) {
  int ms = 0;

  if (config_int(ci, 0, WINDOW_MS_MAX, &ms) != 0)
    return -1;
  settings.window_ns = (uint64_t)ms * NS_PER_MS;
  return 0;
}

/* A directory's absolute path, as the runtime's own config names it. */
static int config_path(const oconfig_item_t *ci, char *out, size_t size) {
  const char *value = config_string(ci);
  char wanted[64];

  if (value == NULL || value[0] != '/' || strlen(value) >= size) {
    snprintf(wanted, sizeof(wanted),
             "expected an absolute path shorter than %zu bytes", size);
    return config_reject(ci, wanted);
  }
  sstrncpy(out, value, size);
  return 0;
}

/* Exec sessions (sessions.c), and where the runtimes keep their
 * containers' names (containers.c). */
static int config_runtime_key(const oconfig_item_t *ci) {
  const char *key = ci->key;

  if (strcasecmp("ExecSessions", key) == 0)
    return config_bool(ci, &settings.exec_sessions);
  if (strcasecmp("MaxSessionCommands", key) == 0)
    return config_int(ci, 1, SESSION_COMMANDS_MAX, &settings.session_commands);
  if (strcasecmp("ContainerNames", key) == 0)
    return config_bool(ci, &settings.container_names);
  if (strcasecmp("DockerDataRoot", key) == 0)
    return config_path(ci, settings.docker_data_root, SETTINGS_PATH_LEN);
  if (strcasecmp("ContainerdState", key) == 0)
    return config_path(ci, settings.containerd_state, SETTINGS_PATH_LEN);
  if (strcasecmp("ContainersStorage", key) == 0)
    return config_path(ci, settings.containers_storage, SETTINGS_PATH_LEN);
  if (strcasecmp("ContainersRunRoot", key) == 0)
    return config_path(ci, settings.containers_run_root, SETTINGS_PATH_LEN);
  return config_reject(ci, "unknown key");
}

static int config_key(const oconfig_item_t *ci) {
  const char *key = ci->key;

  if (strcasecmp("AttachMode", key) == 0)
    return config_attach_mode(ci);
  if (strcasecmp("Notifications", key) == 0)
    return config_bool(ci, &settings.notify);
  if (strcasecmp("NotificationSeverity", key) == 0)
    return config_severity(ci);
  if (strcasecmp("NotifyFailures", key) == 0)
    return config_bool(ci, &settings.failures);
  if (strcasecmp("Process", key) == 0)
    return config_list(ci, process_add);
  if (strcasecmp("IgnoreSelected", key) == 0)
    return config_bool(ci, &settings.processes.ignore_selected);
  if (strcasecmp("NamespaceType", key) == 0)
    return config_list(ci, ns_type_add);
  if (strcasecmp("Activity", key) == 0)
    return config_list(ci, activity_add);
  if (strcasecmp("MaxNotificationsPerInterval", key) == 0)
    return config_int(ci, 1, MAX_PER_INTERVAL_MAX, &settings.max_per_interval);
  if (strcasecmp("CoalesceWindow", key) == 0)
    return config_window(ci);
  if (strcasecmp("ReportByProcess", key) == 0)
    return config_bool(ci, &settings.by_process);
  if (strcasecmp("ReportOverhead", key) == 0)
    return config_bool(ci, &settings.report_overhead);
  if (strcasecmp("MaxProcesses", key) == 0)
    return config_int(ci, 1, SETNS_PROCS_MAX, &settings.max_procs);
  return config_runtime_key(ci);
}

int settings_config(oconfig_item_t *ci) {
  for (int i = 0; i < ci->children_num && !failed; i++)
    if (config_key(ci->children + i) != 0)
      failed = true;
  return 0;
}
