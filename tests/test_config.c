/**
 * setns-collectd - tests/test_config.c
 *
 * The <Plugin setns> block: every key, good and bad values. A bad one must
 * log exactly one ERROR naming the key and the value, leave collectd's
 * config pass successful (returning non-zero would stop the daemon), and
 * make init fail without a second ERROR.
 */
#include "setns.c"

#include "mock_plugin.h"
#include "testing.h"

/* Runs setns_config on a block holding this one line, from defaults. */
static int configure(oconfig_item_t *line) {
  oconfig_item_t block = {.key = "Plugin", .children = line,
                          .children_num = 1};
  int status;

  config.attach_mode = MODE_AUTO;
  config_failed = false;
  mock_reset();
  status = setns_config(&block);
  mock_config_free(line);
  return status;
}

DEF_TEST(attach_mode_default) {
  oconfig_item_t block = {.key = "Plugin"};

  EXPECT_EQ_INT(0, setns_config(&block));
  EXPECT_EQ_INT(MODE_AUTO, config.attach_mode);
  EXPECT_EQ_INT(false, config_failed);
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
    EXPECT_EQ_INT(0, configure(mock_config_string("attachmode",
                                                  cases[i].value)));
    EXPECT_EQ_INT(false, config_failed);
    EXPECT_EQ_INT(0, mock_errors_num);
    EXPECT_EQ_INT(cases[i].want, config.attach_mode);
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
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## %s %s\n", cases[i].key, cases[i].shown);
    EXPECT_EQ_INT(0, configure(cases[i].line));
    EXPECT_EQ_INT(true, config_failed);
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

DEF_TEST(no_value) {
  oconfig_item_t line = {.key = "AttachMode"};
  oconfig_item_t block = {.key = "Plugin", .children = &line,
                          .children_num = 1};

  config_failed = false;
  mock_reset();
  EXPECT_EQ_INT(0, setns_config(&block));
  EXPECT_EQ_INT(true, config_failed);
  EXPECT_EQ_INT(1, mock_errors_num);
  OK(strstr(mock_last_error, "AttachMode (no value)") != NULL);
  return 0;
}

int main(void) {
  RUN_TEST(attach_mode_default);
  RUN_TEST(attach_mode_values);
  RUN_TEST(bad_input);
  RUN_TEST(no_value);
  END_TEST;
}
