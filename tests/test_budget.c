/**
 * setns-collectd - tests/test_budget.c
 *
 * MaxNotificationsPerInterval on the plugin's side, without the event
 * path: the share of a uid, the pause written into the program's flags,
 * escapes let through but counted, the entry hooks switched once per
 * pause, and a new interval undoing it all.
 */
#include "budget.c"

#include "mock_plugin.h"
#include "testing.h"

/* The program's .bss as budget.c sees it. */
static volatile bool paused;
static volatile uint32_t paused_uid, seq, pause_seq;
static int hooks_on = 1, switches, hooks_err;

static int fake_hooks(bool on) {
  switches++;
  if (hooks_err != 0)
    return hooks_err;
  hooks_on = on;
  return 0;
}

static struct settings set;

static void open_budget(int max) {
  struct budget_kernel k = {.paused = &paused,
                            .paused_uid = &paused_uid,
                            .interval_seq = &seq,
                            .pause_seq = &pause_seq,
                            .entry_hooks = fake_hooks};

  set = settings_defaults;
  set.max_per_interval = max;
  paused = false;
  paused_uid = seq = pause_seq = 0;
  hooks_on = 1;
  switches = hooks_err = 0;
  mock_reset();
  budget_open(&set, &k);
}

DEF_TEST(uid_share) {
  open_budget(6); /* a uid may take 3 */
  EXPECT_EQ_INT(3 * SETNS_NS_TYPES, (int)budget_uid_events(&set));
  for (int i = 0; i < 3; i++)
    EXPECT_EQ_INT(true, budget_take(0, false));
  EXPECT_EQ_INT(false, budget_room(0));
  EXPECT_EQ_INT(true, budget_room(1000)); /* the other half is left */
  EXPECT_EQ_INT(false, budget_take(0, false));
  EXPECT_EQ_INT(1, (int)paused_uid); /* uid 0, stored plus one */
  EXPECT_EQ_INT(false, paused);
  EXPECT_EQ_INT(0, hooks_on);
  /* a second uid over its share: every uid's events are held back */
  for (int i = 0; i < 3; i++)
    EXPECT_EQ_INT(true, budget_take(1000, false));
  EXPECT_EQ_INT(false, budget_take(1000, false));
  EXPECT_EQ_INT(true, paused);
  EXPECT_EQ_INT(1, switches); /* detached once, not per call */
  budget_close();
  return 0;
}

DEF_TEST(escape_passes) {
  open_budget(1);
  EXPECT_EQ_INT(1, (int)budget_uid_events(&set) / SETNS_NS_TYPES);
  EXPECT_EQ_INT(true, budget_take(0, false));
  EXPECT_EQ_INT(false, budget_take(0, false));
  EXPECT_EQ_INT(true, budget_take(0, true)); /* never refused */
  EXPECT_EQ_INT(true, budget_take(0, true));
  EXPECT_EQ_UINT64(1, budget_interval()); /* only the one refused */
  budget_close();
  return 0;
}

DEF_TEST(new_interval) {
  open_budget(2);
  budget_take(0, false);
  budget_take(0, false);
  EXPECT_EQ_INT(true, paused || paused_uid);
  EXPECT_EQ_UINT64(1, budget_interval());
  EXPECT_EQ_INT(false, paused);
  EXPECT_EQ_INT(0, (int)paused_uid);
  EXPECT_EQ_INT(1, (int)seq);
  EXPECT_EQ_INT(1, (int)pause_seq); /* the entries noted before it: void */
  EXPECT_EQ_INT(1, hooks_on);       /* attached before the kernel sends again */
  EXPECT_EQ_INT(true, budget_take(0, false));
  EXPECT_EQ_UINT64(1, budget_interval()); /* a running total */
  EXPECT_EQ_INT(2, (int)seq);
  /* no pause: a call whose entry and exit straddle the read keeps its
   * entry */
  EXPECT_EQ_INT(1, (int)pause_seq);
  budget_close();
  return 0;
}

/* The program pauses a uid on its own (its budget in the kernel): the
 * plugin follows with the hooks. */
DEF_TEST(follows_kernel) {
  open_budget(10);
  budget_follow_kernel();
  EXPECT_EQ_INT(0, switches);
  paused_uid = 1001;
  budget_follow_kernel();
  budget_follow_kernel();
  EXPECT_EQ_INT(0, hooks_on);
  EXPECT_EQ_INT(1, switches);
  budget_interval();
  EXPECT_EQ_INT(1, hooks_on);
  budget_close();
  /* closed: the flags are no longer touched */
  paused_uid = 7;
  budget_follow_kernel();
  budget_interval();
  EXPECT_EQ_INT(7, (int)paused_uid);
  return 0;
}

/* A re-attach that fails is said once, as a WARNING, not per interval. */
DEF_TEST(hooks_fail) {
  open_budget(1);
  budget_take(0, false);
  budget_take(0, false);
  hooks_err = -ENOENT;
  budget_interval();
  budget_take(0, false);
  budget_take(0, false);
  budget_interval();
  EXPECT_EQ_INT(0, mock_errors_num);
  EXPECT_EQ_INT(1, mock_warnings_num);
  budget_close();
  return 0;
}

int main(void) {
  RUN_TEST(uid_share);
  RUN_TEST(escape_passes);
  RUN_TEST(new_interval);
  RUN_TEST(follows_kernel);
  RUN_TEST(hooks_fail);
  END_TEST;
}
