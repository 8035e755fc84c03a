/**
 * setns-collectd - tests/fuzz/fuzz_config.c
 *
 * settings_config on config trees built from the fuzz input, as collectd
 * calls it: once per <Plugin setns> block (one to three), each with up to
 * eight lines of a known key or any key, and zero to three values each of
 * any type (string, number, boolean). Whatever is given: a rejected
 * config is exactly one ERROR line and the plugin disabled, an accepted
 * one has every setting within its documented range, the Process filter
 * it built answers for any name, and settings_reset frees it all
 * (LeakSanitizer checks after every input).
 */
#include "settings.h"
#include "setns.h"

#include "fuzz.h"
#include "mock_plugin.h"

#include <math.h>

static const char *const keys[] = {
    "AttachMode",     "Notifications",
    "NotificationSeverity", "NotifyFailures",
    "Process",        "IgnoreSelected",
    "NamespaceType",  "Activity",
    "MaxNotificationsPerInterval", "CoalesceWindow",
    "ReportByProcess", "MaxProcesses",
    "ContainerNames", "DockerDataRoot",
    "ContainerdState", "ContainersStorage",
    "ContainersRunRoot", "ExecSessions",
    "MaxSessionCommands",
};
#define KEYS (sizeof(keys) / sizeof(*keys))

/* Numbers that mean something to some key, then any double. */
static double fuzz_number(struct fuzz_input *in) {
  static const double special[] = {0, 1, -1, 64, 100, 1024, 1025, 10000,
                                   10001, 1000000, 1000001, 0.5, 2147483648.0};
  uint8_t b = fuzz_u8(in);
  double v;

  if (b < 128)
    return b % 2 ? special[b / 2 % (sizeof(special) / sizeof(*special))] : b / 2;
  fuzz_bytes(in, &v, sizeof(v));
  return v;
}

static void fuzz_value(struct fuzz_input *in, oconfig_value_t *v) {
  switch (fuzz_u8(in) % 3) {
  case 0:
    v->type = OCONFIG_TYPE_STRING;
    v->value.string = fuzz_string(in, 64);
    break;
  case 1:
    v->type = OCONFIG_TYPE_NUMBER;
    v->value.number = fuzz_number(in);
    break;
  default:
    v->type = OCONFIG_TYPE_BOOLEAN;
    v->value.boolean = fuzz_u8(in) & 1;
  }
}

static void fuzz_line(struct fuzz_input *in, oconfig_item_t *ci) {
  static const int values_num[8] = {0, 1, 1, 1, 1, 1, 2, 3};
  uint8_t k = fuzz_u8(in);

  ci->key = k < 8 * KEYS ? strdup(keys[k % KEYS]) : fuzz_string(in, 32);
  ci->values_num = values_num[fuzz_u8(in) % 8];
  ci->values = calloc((size_t)ci->values_num + 1, sizeof(*ci->values));
  if (ci->key == NULL || ci->values == NULL)
    abort();
  for (int i = 0; i < ci->values_num; i++)
    fuzz_value(in, ci->values + i);
}

static oconfig_item_t *fuzz_block(struct fuzz_input *in) {
  oconfig_item_t *block = calloc(1, sizeof(*block));

  if (block == NULL)
    abort();
  block->key = strdup("Plugin");
  block->children_num = fuzz_u8(in) % 9;
  block->children = calloc((size_t)block->children_num + 1, sizeof(oconfig_item_t));
  if (block->key == NULL || block->children == NULL)
    abort();
  for (int i = 0; i < block->children_num; i++) {
    fuzz_line(in, block->children + i);
    block->children[i].parent = block;
  }
  return block;
}

static void item_free(oconfig_item_t *ci) {
  for (int i = 0; i < ci->values_num; i++)
    if (ci->values[i].type == OCONFIG_TYPE_STRING)
      free(ci->values[i].value.string);
  free(ci->values);
  for (int i = 0; i < ci->children_num; i++)
    item_free(ci->children + i);
  free(ci->children);
  free(ci->key);
}

static void check_settings(void) {
  const struct settings *s = settings_get();
  const unsigned int all_types =
      SETNS_CLONE_NEWNET | SETNS_CLONE_NEWNS | SETNS_CLONE_NEWPID |
      SETNS_CLONE_NEWUTS | SETNS_CLONE_NEWIPC | SETNS_CLONE_NEWUSER |
      SETNS_CLONE_NEWCGROUP | SETNS_CLONE_NEWTIME;

  FUZZ_CHECK(s->attach_mode >= 0 && s->attach_mode <= MODE_COUNT, "mode %d",
             s->attach_mode);
  FUZZ_CHECK(s->severity == NOTIF_OKAY || s->severity == NOTIF_WARNING ||
                 s->severity == NOTIF_FAILURE,
             "severity %d", s->severity);
  FUZZ_CHECK(s->types == ~0U || (s->types != 0 && (s->types & ~all_types) == 0),
             "types %#x", s->types);
  FUZZ_CHECK(s->activities != 0 && (s->activities & ~((1U << ACT_FAILED) - 1)) == 0,
             "activities %#x", s->activities);
  FUZZ_CHECK(s->max_per_interval >= 1 && s->max_per_interval <= 1000000,
             "MaxNotificationsPerInterval %d", s->max_per_interval);
  FUZZ_CHECK(s->window_ns <= 10000 * NS_PER_MS, "CoalesceWindow %llu ns",
             (unsigned long long)s->window_ns);
  FUZZ_CHECK(s->window_ns % NS_PER_MS == 0, "CoalesceWindow %llu ns",
             (unsigned long long)s->window_ns);
  FUZZ_CHECK(s->max_procs >= 1 && s->max_procs <= SETNS_PROCS_MAX,
             "MaxProcesses %d", s->max_procs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fuzz_input in = {data, size};
  int blocks = fuzz_u8(&in) % 3 + 1;
  char *comm;

  settings_reset();
  mock_reset();
  for (int b = 0; b < blocks; b++) {
    oconfig_item_t *block = fuzz_block(&in);

    FUZZ_CHECK(settings_config(block) == 0, "a config callback failing stops collectd");
    item_free(block);
    free(block);
  }
  FUZZ_CHECK(mock_errors_num == (settings_failed() ? 1 : 0),
             "%d ERROR lines, failed %d", mock_errors_num, settings_failed());
  if (!settings_failed())
    check_settings();
  /* the filter on a comm from the rest of the input */
  comm = fuzz_string(&in, SETNS_COMM_LEN - 1);
  (void)name_filter_wants(&settings_get()->processes, comm);
  free(comm);
  settings_reset();
  FUZZ_CHECK(settings_get()->processes.num == 0 && !settings_failed(), "not reset");
  return 0;
}
