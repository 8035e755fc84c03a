/**
 * setns-collectd - tests/test_activity.c
 *
 * The rules that name a join's activity, from the facts the plugin has:
 * which side the caller was on, what its executable is called, and who
 * lives in the namespace it joined.
 */
#include "activity.c"

#include "base.h"
#include "mock_plugin.h"
#include "testing.h"

#define C1 "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1"
#define C2 "c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2"
#define POD "0a1b2c3d-0000-4000-8000-00000000000a"

DEF_TEST(roles) {
  struct {
    const char *exe, *comm;
    enum role want;
    const char *name;
  } cases[] = {
      {"runc", "runc:[1:CHILD]", ROLE_RUNTIME, "runc"},
      /* runc 1.1 runs a memfd copy of itself */
      {"memfd:runc_cloned:/proc/self/exe", "runc:[1:CHILD]", ROLE_RUNTIME,
       "runc"},
      {"", "runc:[1:CHILD]", ROLE_RUNTIME, "runc"}, /* no exe: the comm */
      {"crun", "crun", ROLE_RUNTIME, "crun"},
      {"containerd-shim-runc-v2", "containerd-shim", ROLE_HELPER,
       "containerd-shim"},
      {"dockerd", "exe", ROLE_HELPER, "dockerd"}, /* dockerd re-executed */
      {"bridge", "bridge", ROLE_HELPER, "bridge"},
      {"conmon", "conmon", ROLE_HELPER, "conmon"},
      {"nsenter", "nsenter", ROLE_OTHER, ""},
      {"ip", "ip", ROLE_OTHER, ""},
      /* the executable's name wins over a comm a process chose */
      {"nsenter", "runc", ROLE_OTHER, ""},
      {"runcx", "runcx", ROLE_OTHER, ""},
      {"bridges", "bridges", ROLE_OTHER, ""},
      {"", "", ROLE_OTHER, ""},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    const char *name = NULL;

    printf("## exe \"%s\" comm \"%s\"\n", cases[i].exe, cases[i].comm);
    EXPECT_EQ_INT(cases[i].want,
                  process_role(cases[i].exe, cases[i].comm, &name));
    EXPECT_EQ_STR(cases[i].name, name);
  }
  return 0;
}

DEF_TEST(activities) {
  struct {
    const char *what;
    struct join_facts f;
    enum activity want;
  } cases[] = {
      {"podman exec: runc from the host into a running container",
       {DIR_H2C, false, "", "", ROLE_RUNTIME, true, C1, "", false},
       ACT_EXEC},
      {"runc exec into a container whose cgroup names none",
       {DIR_H2C, false, "", "", ROLE_RUNTIME, true, "", "", false},
       ACT_EXEC},
      {"runc exec, the resident not found yet: mnt and pid say exec",
       {.dir = DIR_H2C, .caller_role = ROLE_RUNTIME, .joined_mnt_or_pid = true},
       ACT_EXEC},
      {"a container's start, its own first process found there already",
       {DIR_C2C, true, C1, "", ROLE_RUNTIME, true, C1, "", false},
       ACT_START},
      {"nsenter from the host into a container",
       {DIR_H2C, false, "", "", ROLE_OTHER, true, C1, "", false},
       ACT_ENTER},
      {"ip netns exec into a namespace nobody lives in",
       {DIR_H2C, false, "", "", ROLE_OTHER, false, "", "", false},
       ACT_ENTER},
      {"a host process back into the host's",
       {DIR_SAME, false, "", "", ROLE_OTHER, true, "", "", false},
       ACT_ENTER},
      {"runc run: the new container joins its prepared netns",
       {DIR_C2C, true, C1, "", ROLE_RUNTIME, false, "", "", false},
       ACT_START},
      {"a pod's container joins its infra container",
       {DIR_C2C, true, C2, POD, ROLE_RUNTIME, true, C1, POD, false},
       ACT_START},
      {"a container process re-joining its own",
       {DIR_SAME, true, C1, "", ROLE_OTHER, true, C1, "", false},
       ACT_START},
      {"a CNI plugin steps into a new netns",
       {DIR_H2C, false, "", "", ROLE_HELPER, false, "", "", false},
       ACT_PLUMBING},
      {"dockerd steps into a new container",
       {DIR_H2C, false, "", "", ROLE_HELPER, true, C1, "", false},
       ACT_PLUMBING},
      {"a runtime into a namespace nobody lives in",
       {DIR_H2C, false, "", "", ROLE_RUNTIME, false, "", "", false},
       ACT_PLUMBING},
      {"a helper back to the host",
       {DIR_SAME, false, "", "", ROLE_HELPER, true, "", "", false},
       ACT_PLUMBING},
      {"nsenter from a container into the host",
       {DIR_C2H, true, C1, "", ROLE_OTHER, true, "", "", false},
       ACT_ESCAPE},
      {"an escape by a process named like a runtime",
       {DIR_C2H, true, C1, "", ROLE_RUNTIME, true, "", "", false},
       ACT_ESCAPE},
      {"a container into another",
       {DIR_C2C, true, C1, "", ROLE_OTHER, true, C2, "", false},
       ACT_LATERAL},
      {"a container into another pod",
       {DIR_C2C, true, C1, POD, ROLE_OTHER, true, C2,
        "0a1b2c3d-0000-4000-8000-00000000000b", false},
       ACT_LATERAL},
      {"a runtime named process into another container",
       {DIR_C2C, true, C1, "", ROLE_RUNTIME, true, C2, "", false},
       ACT_LATERAL},
      {"a failed call",
       {DIR_NONE, false, "", "", ROLE_OTHER, false, "", "", false},
       ACT_FAILED},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## %s\n", cases[i].what);
    EXPECT_EQ_STR(activity_names[cases[i].want],
                  activity_names[join_activity(&cases[i].f)]);
  }
  return 0;
}

DEF_TEST(names) {
  enum activity a = ACT_COUNT;

  for (int i = 0; i < ACT_COUNT; i++) {
    EXPECT_EQ_INT(0, activity_parse(activity_names[i], &a));
    EXPECT_EQ_INT(i, a);
  }
  EXPECT_EQ_INT(0, activity_parse("EXEC", &a));
  EXPECT_EQ_INT(-1, activity_parse("execs", &a));
  return 0;
}

int main(void) {
  RUN_TEST(roles);
  RUN_TEST(activities);
  RUN_TEST(names);
  END_TEST;
}
