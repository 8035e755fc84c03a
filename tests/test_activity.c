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
      {"containerd-shim-runc-v2", "containerd-shim", ROLE_ENGINE,
       "containerd-shim"},
      {"dockerd", "exe", ROLE_ENGINE, "dockerd"}, /* dockerd re-executed */
      {"bridge", "bridge", ROLE_HELPER, "bridge"},
      {"conmon", "conmon", ROLE_ENGINE, "conmon"},
      {"podman", "podman", ROLE_ENGINE, "podman"},
      /* LXC: its exec runs from a memfd copy, its monitor is lxc-start */
      {"memfd:lxc-attach", "lxc-attach", ROLE_RUNTIME, "lxc-attach"},
      {"lxc-start", "lxc-start", ROLE_ENGINE, "lxc-start"},
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

/* Shorthands for the facts: the caller's side and role, what stands
 * above it, where it went. */
#define HOST(d, r)                                                             \
  .dir = (d), .caller_container = "", .caller_pod = "", .caller_role = (r)
#define IN(d, c, p, r)                                                         \
  .dir = (d), .caller_in_container = true, .caller_container = (c),            \
  .caller_pod = (p), .caller_role = (r)
#define LIVES(c, p)                                                            \
  .target_found = true, .target_container = (c), .target_pod = (p)
#define EMPTY .target_container = "", .target_pod = ""

DEF_TEST(activities) {
  struct {
    const char *what;
    struct join_facts f;
    enum activity want;
  } cases[] = {
      {"podman exec: runc, under conmon, into a running container",
       {HOST(DIR_H2C, ROLE_RUNTIME), .engine_ancestor = true, LIVES(C1, "")},
       ACT_EXEC},
      {"runc exec from a shell into a container whose cgroup names none",
       {HOST(DIR_H2C, ROLE_RUNTIME), LIVES("", "")},
       ACT_EXEC},
      {"runc exec, the resident not found yet: mnt and pid say exec",
       {HOST(DIR_H2C, ROLE_RUNTIME), EMPTY, .joined_mnt_or_pid = true},
       ACT_EXEC},
      {"lxc-attach into its container",
       {HOST(DIR_H2C, ROLE_RUNTIME), LIVES("xc1", "")},
       ACT_EXEC},
      {"lxc-attach, moved into its container's cgroup first",
       {IN(DIR_C2C, "xc1", "", ROLE_RUNTIME), .caller_from_host = true,
        .joined_mnt_or_pid = true, LIVES("xc1", "")},
       ACT_EXEC},
      {"runc starting a container in its pod's pid namespace",
       {IN(DIR_C2C, C2, POD, ROLE_RUNTIME), .caller_from_host = true,
        .joined_mnt_or_pid = true, LIVES(C1, POD)},
       ACT_START},
      {"a process of a container, from the host's namespaces, not a runtime",
       {IN(DIR_C2C, "xc1", "", ROLE_OTHER), .caller_from_host = true,
        .joined_mnt_or_pid = true, LIVES("xc1", "")},
       ACT_START},
      {"a container's start, its own first process found there already",
       {IN(DIR_C2C, C1, "", ROLE_RUNTIME), LIVES(C1, "")},
       ACT_START},
      {"nsenter from the host into a container",
       {HOST(DIR_H2C, ROLE_OTHER), LIVES(C1, "")},
       ACT_ENTER},
      {"ip netns exec into a namespace nobody lives in",
       {HOST(DIR_H2C, ROLE_OTHER), EMPTY},
       ACT_ENTER},
      {"ip netns add: a host process back into the host's",
       {HOST(DIR_SAME, ROLE_OTHER), LIVES("", "")},
       ACT_RETURN},
      {"a host process into the namespace it is in",
       {HOST(DIR_SAME, ROLE_RUNTIME), .engine_ancestor = true, LIVES(C1, "")},
       ACT_RETURN},
      {"runc run: the new container joins its prepared netns",
       {IN(DIR_C2C, C1, "", ROLE_RUNTIME), EMPTY},
       ACT_START},
      {"a pod's container joins its infra container",
       {IN(DIR_C2C, C2, POD, ROLE_RUNTIME), LIVES(C1, POD)},
       ACT_START},
      {"a container process re-joining its own",
       {IN(DIR_SAME, C1, "", ROLE_OTHER), LIVES(C1, "")},
       ACT_START},
      {"a CNI plugin, started by podman, steps into a new netns",
       {HOST(DIR_H2C, ROLE_HELPER), .engine_ancestor = true, EMPTY},
       ACT_PLUMBING},
      {"nsenter named after a CNI plugin, from a shell, into a new netns",
       {HOST(DIR_H2C, ROLE_HELPER), EMPTY},
       ACT_ENTER},
      {"nsenter named after a CNI plugin, from a shell, into a container",
       {HOST(DIR_H2C, ROLE_HELPER), LIVES(C1, "")},
       ACT_ENTER},
      {"dockerd steps into a new container and back",
       {HOST(DIR_H2C, ROLE_ENGINE), .round_trip = true, LIVES(C1, "")},
       ACT_PLUMBING},
      {"LXC's monitor steps into its container's netns and back",
       {HOST(DIR_H2C, ROLE_ENGINE), .round_trip = true, LIVES("xc1", "")},
       ACT_PLUMBING},
      {"nsenter named podman, from a shell, stays in a container",
       {HOST(DIR_H2C, ROLE_ENGINE), LIVES(C1, "")},
       ACT_ENTER},
      {"nsenter named runc steps in and back: round trips are engines'",
       {HOST(DIR_H2C, ROLE_RUNTIME), .round_trip = true, EMPTY},
       ACT_ENTER},
      {"runc, under containerd's shim, into a namespace nobody lives in",
       {HOST(DIR_H2C, ROLE_RUNTIME), .engine_ancestor = true, EMPTY},
       ACT_PLUMBING},
      {"nsenter from a container into the host",
       {IN(DIR_C2H, C1, "", ROLE_OTHER), LIVES("", "")},
       ACT_ESCAPE},
      {"an escape by a process named like a runtime, under one",
       {IN(DIR_C2H, C1, "", ROLE_RUNTIME), .engine_ancestor = true,
        LIVES("", "")},
       ACT_ESCAPE},
      {"a container into another",
       {IN(DIR_C2C, C1, "", ROLE_OTHER), LIVES(C2, "")},
       ACT_LATERAL},
      {"a container into another pod",
       {IN(DIR_C2C, C1, POD, ROLE_OTHER),
        LIVES(C2, "0a1b2c3d-0000-4000-8000-00000000000b")},
       ACT_LATERAL},
      {"a runtime named process into another container",
       {IN(DIR_C2C, C1, "", ROLE_RUNTIME), LIVES(C2, "")},
       ACT_LATERAL},
      {"a failed call", {HOST(DIR_NONE, ROLE_OTHER), EMPTY}, ACT_FAILED},
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
