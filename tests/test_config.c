/**
 * setns-collectd - tests/test_config.c
 *
 * The <Plugin setns> block: every key, good and bad values. A bad one must
 * log exactly one ERROR naming the key and the value, leave collectd's
 * config pass successful (returning non-zero would stop the daemon), and
 * make init fail without a second ERROR.
 */
#include "setns.c" /* the callbacks; the other parts are linked */

#include "mock_plugin.h"
#include "testing.h"

/* Runs setns_config on a block holding this one line, from defaults. */
static int configure(oconfig_item_t *line) {
  oconfig_item_t block = {.key = "Plugin", .children = line, .children_num = 1};
  int status;

  settings_reset();
  mock_reset();
  status = settings_config(&block);
  mock_config_free(line);
  return status;
}

/* Runs setns_config on a block of these lines, from defaults, which must
 * all be taken. */
static int configure_good(oconfig_item_t *lines, int num) {
  oconfig_item_t block = {
      .key = "Plugin", .children = lines, .children_num = num};

  settings_reset();
  mock_reset();
  EXPECT_EQ_INT(0, settings_config(&block));
  EXPECT_EQ_INT(0, mock_errors_num);
  EXPECT_EQ_INT(false, settings_failed());
  return 0;
}

DEF_TEST(attach_mode_default) {
  oconfig_item_t block = {.key = "Plugin"};

  EXPECT_EQ_INT(0, settings_config(&block));
  EXPECT_EQ_INT(MODE_AUTO, settings_get()->attach_mode);
  EXPECT_EQ_INT(false, settings_failed());
  return 0;
}

DEF_TEST(attach_mode_values) {
  struct {
    const char *value;
    enum attach_mode want;
  } cases[] = {
      {"auto", MODE_AUTO},
      {"fentry", MODE_FENTRY},
      {"kprobe", MODE_KPROBE},
      {"tracepoint", MODE_TRACEPOINT},
      {"raw_tracepoint", MODE_RAW_TRACEPOINT},
      {"Raw_Tracepoint", MODE_RAW_TRACEPOINT}, /* keys and names ignore case */
      {"KPROBE", MODE_KPROBE},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## AttachMode \"%s\"\n", cases[i].value);
    EXPECT_EQ_INT(0,
                  configure(mock_config_string("attachmode", cases[i].value)));
    EXPECT_EQ_INT(false, settings_failed());
    EXPECT_EQ_INT(0, mock_errors_num);
    EXPECT_EQ_INT(cases[i].want, settings_get()->attach_mode);
  }
  return 0;
}

DEF_TEST(bad_input) {
  struct {
    oconfig_item_t *line;
    const char *key, *shown; /* what the ERROR must name */
  } cases[] = {
      {mock_config_string("AttachMode", "uprobe"), "AttachMode", "\"uprobe\""},
      {mock_config_string("AttachMode", ""), "AttachMode", "\"\""},
      {mock_config_string("AttachMode", "auto "), "AttachMode", "\"auto \""},
      {mock_config_number("AttachMode", 2), "AttachMode", "2"},
      {mock_config_string("Mode", "auto"), "Mode", "\"auto\""},
      {mock_config_number("Interval", 10), "Interval", "10"},
      {mock_config_string("Notifications", "maybe"), "Notifications",
       "\"maybe\""},
      {mock_config_number("Notifications", 1), "Notifications", "1"},
      {mock_config_string("NotificationSeverity", "error"),
       "NotificationSeverity", "\"error\""},
      {mock_config_string("NotifyFailures", ""), "NotifyFailures", "\"\""},
      {mock_config_string("Process", "/[a-/"), "Process", "\"/[a-/\""},
      {mock_config_string("Process", ""), "Process", "\"\""},
      /* where the runtimes keep their files: absolute paths */
      {mock_config_string("DockerDataRoot", "var/lib/docker"), "DockerDataRoot",
       "\"var/lib/docker\""},
      {mock_config_number("ContainerdState", 1), "ContainerdState", "1"},
      {mock_config_string("ContainersStorage", ""), "ContainersStorage",
       "\"\""},
      {mock_config_string("ContainerNames", "sometimes"), "ContainerNames",
       "\"sometimes\""},
      {mock_config_number("MaxSessionCommands", 0), "MaxSessionCommands", "0"},
      {mock_config_number("MaxSessionCommands", 257), "MaxSessionCommands",
       "257"},
      {mock_config_string("ExecSessions", "1"), "ExecSessions", "\"1\""},
      /* glibc's regcomp would take gigabytes for a few dozen of these */
      {mock_config_string("Process", "/^run++++++++c/"), "Process",
       "\"/^run++++++++c/\""},
      {mock_config_number("Process", 7), "Process", "7"},
      {mock_config_string("IgnoreSelected", "no way"), "IgnoreSelected",
       "\"no way\""},
      {mock_config_string("NamespaceType", "network"), "NamespaceType",
       "\"network\""},
      {mock_config_number("MaxNotificationsPerInterval", 0),
       "MaxNotificationsPerInterval", "0"},
      {mock_config_number("MaxNotificationsPerInterval", 2.5),
       "MaxNotificationsPerInterval", "2.5"},
      {mock_config_string("MaxNotificationsPerInterval", "100"),
       "MaxNotificationsPerInterval", "\"100\""},
      {mock_config_number("CoalesceWindow", -1), "CoalesceWindow", "-1"},
      {mock_config_number("CoalesceWindow", 60000), "CoalesceWindow", "60000"},
      {mock_config_string("ReportByProcess", "1"), "ReportByProcess", "\"1\""},
      {mock_config_string("Activity", "failed"), "Activity", "\"failed\""},
      {mock_config_string("Activity", "execs"), "Activity", "\"execs\""},
      {mock_config_number("MaxProcesses", 0), "MaxProcesses", "0"},
      {mock_config_number("MaxProcesses", 5000), "MaxProcesses", "5000"},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## %s %s\n", cases[i].key, cases[i].shown);
    EXPECT_EQ_INT(0, configure(cases[i].line));
    EXPECT_EQ_INT(true, settings_failed());
    EXPECT_EQ_INT(1, mock_errors_num);
    OK(strstr(mock_last_error, cases[i].key) != NULL);
    OK(strstr(mock_last_error, cases[i].shown) != NULL);
    OK(strncmp(mock_last_error, "setns plugin: ", 14) == 0);
    /* init refuses, without loading anything or logging again */
    EXPECT_EQ_INT(-1, setns_init());
    EXPECT_EQ_INT(1, mock_errors_num);
    EXPECT_EQ_PTR(NULL, skel);
  }
  return 0;
}

/* Every key with a good value, and where it lands. */
DEF_TEST(notification_keys) {
  oconfig_item_t lines[] = {
      *mock_config_string("Notifications", "false"),
      *mock_config_string("NotificationSeverity", "Failure"),
      *mock_config_string("NotifyFailures", "yes"),
      *mock_config_string("Process", "nsenter"),
      *mock_config_string("Process", "/^runc/"),
      *mock_config_string("Process", "/^[*+]+x?$/"),
      *mock_config_string("IgnoreSelected", "true"),
      *mock_config_string("NamespaceType", "net"),
      *mock_config_string("NamespaceType", "MNT"),
      *mock_config_string("Activity", "start"),
      *mock_config_string("Activity", "EXEC"),
      *mock_config_number("MaxNotificationsPerInterval", 7),
      *mock_config_number("CoalesceWindow", 0),
      *mock_config_string("ReportByProcess", "on"),
      *mock_config_number("MaxProcesses", 9),
  };

  CHECK_ZERO(configure_good(lines, STATIC_ARRAY_SIZE(lines)));
  EXPECT_EQ_INT(false, settings_get()->notify);
  EXPECT_EQ_INT(NOTIF_FAILURE, settings_get()->severity);
  EXPECT_EQ_INT(true, settings_get()->failures);
  EXPECT_EQ_INT(3, (int)settings_get()->processes.num);
  EXPECT_EQ_INT(true, settings_get()->processes.ignore_selected);
  EXPECT_EQ_INT(SETNS_CLONE_NEWNET | SETNS_CLONE_NEWNS, settings_get()->types);
  EXPECT_EQ_INT(1U << ACT_START | 1U << ACT_EXEC, settings_get()->activities);
  EXPECT_EQ_INT(7, settings_get()->max_per_interval);
  EXPECT_EQ_UINT64(0, settings_get()->window_ns);
  EXPECT_EQ_INT(true, settings_get()->by_process);
  EXPECT_EQ_INT(9, settings_get()->max_procs);
  settings_reset();
  return 0;
}

/* The values an error lists are those the parser takes, in its order. */
DEF_TEST(choices_listed) {
  struct {
    oconfig_item_t *line;
    const char *want;
  } cases[] = {
      {mock_config_string("AttachMode", "uprobe"),
       "expected one of \"fentry\", \"kprobe\", \"tracepoint\", "
       "\"raw_tracepoint\", \"auto\";"},
      {mock_config_string("NamespaceType", "network"),
       "expected one of \"net\", \"mnt\", \"pid\", \"uts\", \"ipc\", "
       "\"user\", \"cgroup\", \"time\";"},
      {mock_config_string("NotificationSeverity", "error"),
       "expected one of \"okay\", \"warning\", \"failure\";"},
      {mock_config_string("Activity", "failed"),
       "expected one of \"exec\", \"enter\", \"start\", \"plumbing\", "
       "\"escape\", \"lateral\", \"return\";"},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## %s\n", cases[i].want);
    configure(cases[i].line);
    OK(strstr(mock_last_error, cases[i].want) != NULL);
  }
  return 0;
}

/* Lists on one line: every value is taken, and lines add up. */
DEF_TEST(lists_on_one_line) {
  static const char *const activities[] = {"exec", "enter"};
  static const char *const more[] = {"Escape"};
  static const char *const types[] = {"net", "mnt", "time"};
  static const char *const procs[] = {"nsenter", "/^runc/", "ip"};
  oconfig_item_t lines[] = {
      *mock_config_strings("Activity", 2, activities),
      *mock_config_strings("Activity", 1, more),
      *mock_config_strings("NamespaceType", 3, types),
      *mock_config_strings("Process", 3, procs),
  };

  CHECK_ZERO(configure_good(lines, STATIC_ARRAY_SIZE(lines)));
  EXPECT_EQ_INT(1U << ACT_EXEC | 1U << ACT_ENTER | 1U << ACT_ESCAPE,
                settings_get()->activities);
  EXPECT_EQ_INT(SETNS_CLONE_NEWNET | SETNS_CLONE_NEWNS | SETNS_CLONE_NEWTIME,
                settings_get()->types);
  EXPECT_EQ_INT(3, (int)settings_get()->processes.num);
  settings_reset();
  return 0;
}

/* A wrong value in a list is named alone: not the good ones beside it, and
 * not as if the whole line were the one value expected. NULL is a number. */
DEF_TEST(lists_name_the_wrong_value) {
  static const char *const act[] = {"exec", "bogus", "enter"};
  static const char *const types[] = {"net", NULL};
  static const char *const procs[] = {"ip", "/[a-/"};
  struct {
    oconfig_item_t *line;
    const char *want;
  } cases[] = {
      {mock_config_strings("Activity", 3, act),
       "setns plugin: Activity \"bogus\": expected one of \"exec\","},
      {mock_config_strings("NamespaceType", 2, types),
       "setns plugin: NamespaceType 1: expected one of \"net\","},
      {mock_config_strings("Process", 2, procs),
       "setns plugin: Process \"/[a-/\": Unmatched"},
      {mock_config_strings("Activity", 0, NULL),
       "setns plugin: Activity (no value): expected one or more strings;"},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## %s\n", cases[i].want);
    EXPECT_EQ_INT(0, configure(cases[i].line));
    EXPECT_EQ_INT(true, settings_failed());
    EXPECT_EQ_INT(1, mock_errors_num);
    OK(strncmp(mock_last_error, cases[i].want, strlen(cases[i].want)) == 0);
  }
  settings_reset();
  return 0;
}

/* Two <Plugin setns> blocks add up, as collectd's own plugins' do. */
DEF_TEST(two_blocks) {
  oconfig_item_t *first = mock_config_string("NamespaceType", "net");
  oconfig_item_t *second = mock_config_string("NamespaceType", "mnt");
  oconfig_item_t b1 = {.key = "Plugin", .children = first, .children_num = 1};
  oconfig_item_t b2 = {.key = "Plugin", .children = second, .children_num = 1};

  settings_reset();
  mock_reset();
  EXPECT_EQ_INT(0, settings_config(&b1));
  EXPECT_EQ_INT(0, settings_config(&b2));
  EXPECT_EQ_INT(SETNS_CLONE_NEWNET | SETNS_CLONE_NEWNS, settings_get()->types);
  mock_config_free(first);
  mock_config_free(second);
  settings_reset();
  return 0;
}

DEF_TEST(no_value) {
  oconfig_item_t line = {.key = "AttachMode"};
  oconfig_item_t block = {
      .key = "Plugin", .children = &line, .children_num = 1};

  settings_reset();
  mock_reset();
  EXPECT_EQ_INT(0, settings_config(&block));
  EXPECT_EQ_INT(true, settings_failed());
  EXPECT_EQ_INT(1, mock_errors_num);
  OK(strstr(mock_last_error, "AttachMode (no value)") != NULL);
  return 0;
}

/* The runtimes' roots, as their own configs name them. */
DEF_TEST(runtime_roots) {
  oconfig_item_t lines[] = {
      {.key = "DockerDataRoot",
       .values = &(oconfig_value_t){.value.string = "/srv/docker",
                                    .type = OCONFIG_TYPE_STRING},
       .values_num = 1},
      {.key = "ContainersRunRoot",
       .values = &(oconfig_value_t){.value.string = "/run/crio",
                                    .type = OCONFIG_TYPE_STRING},
       .values_num = 1},
      {.key = "ContainerNames",
       .values =
           &(oconfig_value_t){.value.boolean = 0, .type = OCONFIG_TYPE_BOOLEAN},
       .values_num = 1},
  };

  configure_good(lines, STATIC_ARRAY_SIZE(lines));
  EXPECT_EQ_STR("/srv/docker", settings_get()->docker_data_root);
  EXPECT_EQ_STR("/run/crio", settings_get()->containers_run_root);
  EXPECT_EQ_STR("/run/containerd", settings_get()->containerd_state);
  EXPECT_EQ_INT(false, settings_get()->container_names);
  EXPECT_EQ_INT(false, settings_get()->exec_sessions); /* off by default */
  EXPECT_EQ_INT(16, settings_get()->session_commands);
  settings_reset();
  EXPECT_EQ_STR("/var/lib/docker", settings_get()->docker_data_root);
  EXPECT_EQ_INT(true, settings_get()->container_names);
  return 0;
}

int main(void) {
  RUN_TEST(attach_mode_default);
  RUN_TEST(runtime_roots);
  RUN_TEST(attach_mode_values);
  RUN_TEST(bad_input);
  RUN_TEST(choices_listed);
  RUN_TEST(two_blocks);
  RUN_TEST(lists_on_one_line);
  RUN_TEST(lists_name_the_wrong_value);
  RUN_TEST(no_value);
  RUN_TEST(notification_keys);
  END_TEST;
}
