/**
 * setns-collectd - tests/test_names.c
 *
 * The type_instance names: namespace types by BPF slot, errno values.
 */
#include "setns.c"

#include "mock_plugin.h"
#include "testing.h"

#include <sched.h>

DEF_TEST(ns_slots) {
  struct {
    unsigned int slot;
    const char *want;
    unsigned int flag;
  } cases[] = {
      {SETNS_SLOT_NET, "net", CLONE_NEWNET},
      {SETNS_SLOT_MNT, "mnt", CLONE_NEWNS},
      {SETNS_SLOT_PID, "pid", CLONE_NEWPID},
      {SETNS_SLOT_UTS, "uts", CLONE_NEWUTS},
      {SETNS_SLOT_IPC, "ipc", CLONE_NEWIPC},
      {SETNS_SLOT_USER, "user", CLONE_NEWUSER},
      {SETNS_SLOT_CGROUP, "cgroup", CLONE_NEWCGROUP},
      {SETNS_SLOT_TIME, "time", 0x80 /* CLONE_NEWTIME */},
  };

  EXPECT_EQ_INT(SETNS_NS_TYPES, STATIC_ARRAY_SIZE(cases));
  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    EXPECT_EQ_STR(cases[i].want, ns_slot_name(cases[i].slot));
    /* setns.h's copy of the uapi flag agrees with libc's */
    EXPECT_EQ_INT(cases[i].flag, ns_types[cases[i].slot].flag);
  }
  EXPECT_EQ_PTR(NULL, (void *)ns_slot_name(SETNS_SLOT_FAILED));
  EXPECT_EQ_PTR(NULL, (void *)ns_slot_name(1000));
  return 0;
}

DEF_TEST(errno_names) {
  struct {
    int err;
    const char *want;
  } cases[] = {
      {EPERM, "eperm"},   {EINVAL, "einval"}, {EBADF, "ebadf"},
      {ENOMEM, "enomem"}, {EUSERS, "eusers"}, {E2BIG, "e2big"},
      {ENOSYS, "enosys"}, {0, "errno0"},      {-3, "errno-3"},
      {511, "errno511"},
  };
  char buf[DATA_MAX_NAME_LEN];

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    errno_name(cases[i].err, buf, sizeof(buf));
    EXPECT_EQ_STR(cases[i].want, buf);
  }
  /* A short buffer truncates, never overruns. */
  errno_name(EINVAL, buf, 4);
  EXPECT_EQ_STR("ein", buf);
  return 0;
}

int main(void) {
  RUN_TEST(ns_slots);
  RUN_TEST(errno_names);
  END_TEST;
}
