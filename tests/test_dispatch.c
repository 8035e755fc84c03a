/**
 * setns-collectd - tests/test_dispatch.c
 *
 * What one read dispatches for given totals: all eight "operations" from
 * the start, an "errors" value only for errnos seen, all as DERIVE under
 * plugin "setns".
 */
#include "counts.c"

#include "mock_plugin.h"
#include "testing.h"

static void set_totals(const uint64_t ops[SETNS_NS_TYPES]) {
  memset(counts, 0, sizeof(counts));
  memset(errnos, 0, sizeof(errnos));
  for (int i = 0; i < SETNS_NS_TYPES; i++)
    counts[i] = ops[i];
}

DEF_TEST(zero_totals) {
  uint64_t zero[SETNS_NS_TYPES] = {0};
  const char *types[] = {"net", "mnt",  "pid",    "uts",
                         "ipc", "user", "cgroup", "time"};

  set_totals(zero);
  mock_reset();
  counts_dispatch();
  EXPECT_EQ_INT(SETNS_NS_TYPES, mock_values_num);
  for (size_t i = 0; i < STATIC_ARRAY_SIZE(types); i++) {
    const mock_value_t *v = mock_find("operations", types[i]);

    OK1(v != NULL, types[i]);
    EXPECT_EQ_STR("setns", v->plugin);
    EXPECT_EQ_STR("", v->plugin_instance);
    EXPECT_EQ_UINT64(0, v->derive);
  }
  return 0;
}

DEF_TEST(counts_and_errors) {
  uint64_t ops[SETNS_NS_TYPES] = {[SETNS_SLOT_NET] = 7,
                                  [SETNS_SLOT_MNT] = 2,
                                  [SETNS_SLOT_TIME] = 1ULL << 40};
  struct {
    const char *type, *instance;
    uint64_t want;
  } cases[] = {
      {"operations", "net", 7}, {"operations", "mnt", 2},
      {"operations", "pid", 0}, {"operations", "time", 1ULL << 40},
      {"errors", "eperm", 3},   {"errors", "ebadf", 1},
      {"errors", "errno0", 5}, /* errnos the program could not index */
  };

  set_totals(ops);
  errnos[EPERM] = 3;
  errnos[EBADF] = 1;
  errnos[0] = 5;
  mock_reset();
  counts_dispatch();
  EXPECT_EQ_INT(SETNS_NS_TYPES + 3, mock_values_num);
  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    const mock_value_t *v = mock_find(cases[i].type, cases[i].instance);

    OK1(v != NULL, cases[i].instance);
    EXPECT_EQ_UINT64(cases[i].want, v->derive);
  }
  EXPECT_EQ_PTR(NULL, (void *)mock_find("errors", "einval"));
  return 0;
}

/* The program counts a failure, then its errno: a read between the two
 * sees one more failure than errnos, and must look again next time, even
 * if no call fails meanwhile. */
DEF_TEST(errnos_read_again) {
  uint64_t zero[SETNS_NS_TYPES] = {0};

  set_totals(zero);
  counts[SETNS_SLOT_FAILED] = 3;
  errnos[EPERM] = 3;
  EXPECT_EQ_INT(false, errnos_behind());
  counts[SETNS_SLOT_FAILED] = 4; /* the fourth's errno not yet counted */
  EXPECT_EQ_INT(true, errnos_behind());
  errnos[EBADF] = 1;
  EXPECT_EQ_INT(false, errnos_behind());
  return 0;
}

int main(void) {
  RUN_TEST(zero_totals);
  RUN_TEST(counts_and_errors);
  RUN_TEST(errnos_read_again);
  END_TEST;
}
