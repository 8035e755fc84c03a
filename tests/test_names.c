/**
 * setns-collectd - tests/test_names.c
 *
 * The type_instance names (namespace types by BPF slot, errno values,
 * process instances), the strace-like nstype names and container ids.
 */
#include "names.c"

#include "base.h"

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

DEF_TEST(container_ids) {
  const char *id =
      "3f2a9c1e4b5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";
  struct {
    const char *path;
    bool found;
  } cases[] = {
      {"/", false},
      {"/user.slice/user-0.slice/session-1.scope", false},
      {"/docker/%s", true},
      {"/system.slice/docker-%s.scope", true},
      {"/system.slice/containerd.service/kubepods-besteffort-pod1.slice:cri-"
       "containerd:%s",
       true},
      {"/kubepods.slice/kubepods-pod1.slice/cri-containerd-%s.scope", true},
      {"/kubepods/besteffort/pod0a1b/%s", true},
      {"/machine.slice/libpod-%s.scope/container", true},
      {"/system.slice/crio-%s.scope", true},
      {"/system.slice/crio-conmon-%s.scope", false}, /* the monitor */
      {"/docker/%s0", false},                        /* 65 digits */
      {"/docker/x%s", false},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    char path[512], got[65];

    snprintf(path, sizeof(path), cases[i].path, id);
    printf("## %s\n", path);
    EXPECT_EQ_INT(cases[i].found, container_id(path, got, sizeof(got)));
    EXPECT_EQ_STR(cases[i].found ? id : "", got);
  }
  return 0;
}

/* LXC and systemd-nspawn name their containers' cgroups after the
 * container's name, not an id: that name is the container id. */
DEF_TEST(container_names) {
  struct {
    const char *path, *want;
  } cases[] = {
      {"/lxc.payload.xc1", "xc1"},                     /* LXC 5, unified */
      {"/lxc.payload.xc1/init.scope", "xc1"},          /* a cgroup inside it */
      {"/lxc.payload/web-1.example", "web-1.example"}, /* legacy layout */
      {"/lxc.monitor.xc1", ""}, /* the monitor is on the host */
      {"/user.slice/lxc.payload.x", "x"},
      {"/lxc.payload.", ""},
      {"/lxc.payload.a b", ""}, /* not a name */
      {"/lxc.payload.a\nb", ""},
      {"/xlxc.payload.xc1", ""}, /* not a whole component */
      {"/machine.slice/machine-web\\x2d1.scope", "web-1"},
      {"/machine.slice/machine-db.scope/payload", "db"},
      {"/machine.slice/machine-.scope", ""},
      {"/machine.slice/machine-db.service", ""},
      {"/user.slice/machine-db.scope", ""}, /* outside machine.slice */
      /* a 65-character name is none */
      {"/lxc.payload.a1234567890123456789012345678901234567890123456789012345"
       "678901234",
       ""},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    char got[CONTAINER_ID_LEN + 1];

    printf("## %s\n", cases[i].path);
    EXPECT_EQ_INT(cases[i].want[0] != '\0',
                  container_id(cases[i].path, got, sizeof(got)));
    EXPECT_EQ_STR(cases[i].want, got);
    EXPECT_EQ_INT((int)strlen(cases[i].want), container_id_shown(got));
  }
  EXPECT_EQ_INT(
      CONTAINER_ID_SHORT,
      container_id_shown("3f2a9c1e4b5d6f708192a3b4c5d6e7f8091a2b3c4d5e"
                         "6f708192a3b4c5d6e7f8"));
  return 0;
}

DEF_TEST(instances) {
  struct {
    const char *comm;
    size_t len;
    const char *want;
  } cases[] = {
      {"nginx", 5, "nginx"},
      {"a.b c/d", 7, "a_b_c_d"},
      {"", 0, "_"},
      {"kworker/0:1-ev", 14, "kworker_0_1-ev"},
      {"\xc3\xa9t\xc3\xa9", 5, "__t__"},
      {"fifteen-chars-x", 15, "fifteen-chars-x"},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    char got[DATA_MAX_NAME_LEN];

    sanitize_instance(cases[i].comm, cases[i].len, got, sizeof(got));
    EXPECT_EQ_STR(cases[i].want, got);
  }
  return 0;
}

DEF_TEST(nstype_names) {
  struct {
    int nstype;
    const char *want;
  } cases[] = {
      {0, "0"},
      {SETNS_CLONE_NEWNET, "CLONE_NEWNET"},
      {SETNS_CLONE_NEWNET | SETNS_CLONE_NEWUTS, "CLONE_NEWNET|CLONE_NEWUTS"},
      {SETNS_CLONE_NEWNS | 0x1, "CLONE_NEWNS|0x1"},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    char got[128];

    nstype_name(cases[i].nstype, got, sizeof(got));
    EXPECT_EQ_STR(cases[i].want, got);
  }
  return 0;
}

DEF_TEST(pod_ids) {
  const char *cid =
      "3f2a9c1e4b5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";
  const char *uid = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
  const char *podman =
      "9e1d5c0b7a6f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d";
  struct {
    const char *path; /* %1$s the container, %2$s the pod */
    const char *pod;
    bool found;
  } cases[] = {
      /* kubelet, cgroupfs driver: besteffort, burstable, guaranteed */
      {"/kubepods/besteffort/pod%2$s/%1$s", uid, true},
      {"/kubepods/burstable/pod%2$s/%1$s", uid, true},
      {"/kubepods/pod%2$s/%1$s", uid, true},
      /* kubelet, systemd driver: the UID's dashes become underscores */
      {"/kubepods.slice/kubepods-besteffort.slice/"
       "kubepods-besteffort-pod0a1b2c3d_4e5f_4a6b_8c7d_9e0f1a2b3c4d.slice/"
       "cri-containerd-%1$s.scope",
       uid, true},
      {"/kubepods.slice/kubepods-pod0a1b2c3d_4e5f_4a6b_8c7d_9e0f1a2b3c4d."
       "slice/crio-%1$s.scope",
       uid, true},
      /* podman pods, systemd driver */
      {"/machine.slice/machine-libpod_pod_%2$s.slice/libpod-%1$s.scope", podman,
       true},
      /* podman pods, cgroupfs driver, as podman 4.3 made them here */
      {"/libpod_parent/%2$s/libpod-%1$s", podman, true},
      /* not pods: a container of podman's alone, docker's */
      {"/libpod_parent/libpod-%1$s", "", false},
      {"/system.slice/docker-%1$s.scope", "", false},
      {"/docker/%1$s", "", false},
      {"/user.slice/pod0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "", false},
      {"/kubepods/besteffort/podnot-a-uid/%1$s", "", false},
      {"/machine.slice/machine-libpod_pod_1234.slice", "", false},
      {"/", "", false},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    char path[512], got[POD_ID_LEN + 1];

    snprintf(path, sizeof(path), cases[i].path, cid, cases[i].pod);
    printf("## %s\n", path);
    EXPECT_EQ_INT(cases[i].found, pod_id(path, got, sizeof(got)));
    EXPECT_EQ_STR(cases[i].pod, got);
  }
  return 0;
}

/* The end of an escaped path, cut between escapes, never inside one. */
DEF_TEST(escaped_tails) {
  char buf[32];

  EXPECT_EQ_STR("/a/b", escaped_tail("/a/b", 4, buf, sizeof(buf)));
  EXPECT_EQ_STR(".../b", escaped_tail("/a/b", 2, buf, sizeof(buf)));
  /* the cut would fall inside \x0a, then inside \\: after each */
  EXPECT_EQ_STR("...b", escaped_tail("a\\x0ab", 3, buf, sizeof(buf)));
  EXPECT_EQ_STR("...\\x0ab", escaped_tail("a\\x0ab", 5, buf, sizeof(buf)));
  EXPECT_EQ_STR("...c", escaped_tail("\\\\c", 2, buf, sizeof(buf)));
  EXPECT_EQ_STR("...\\\\c", escaped_tail("x\\\\c", 3, buf, sizeof(buf)));
  return 0;
}

/* The start of an escaped name, cut between escapes, never inside one. */
DEF_TEST(escaped_heads) {
  char buf[32];

  EXPECT_EQ_STR("abcd", escaped_head("abcd", 4, buf, sizeof(buf)));
  EXPECT_EQ_STR("ab...", escaped_head("abcd", 2, buf, sizeof(buf)));
  /* the cut would fall inside \x0a, then inside \\: before each */
  EXPECT_EQ_STR("a...", escaped_head("a\\x0ab", 3, buf, sizeof(buf)));
  EXPECT_EQ_STR("a\\x0a...", escaped_head("a\\x0ab", 5, buf, sizeof(buf)));
  EXPECT_EQ_STR("...", escaped_head("\\\\c", 1, buf, sizeof(buf)));
  EXPECT_EQ_STR("x\\\\...", escaped_head("x\\\\c", 3, buf, sizeof(buf)));
  return 0;
}

int main(void) {
  RUN_TEST(ns_slots);
  RUN_TEST(errno_names);
  RUN_TEST(container_ids);
  RUN_TEST(container_names);
  RUN_TEST(instances);
  RUN_TEST(nstype_names);
  RUN_TEST(pod_ids);
  RUN_TEST(escaped_tails);
  RUN_TEST(escaped_heads);
  END_TEST;
}
