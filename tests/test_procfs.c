/**
 * setns-collectd - tests/test_procfs.c
 *
 * Reading /proc: which line of /proc/PID/cgroup describes a process.
 */
#include "procfs.c"

#include "mock_plugin.h"
#include "testing.h"

DEF_TEST(cgroup_lines) {
  const char *id =
      "3f2a9c1e4b5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";
  char docker_v1[256], docker_v2[256];
  struct {
    const char *line, *path;
    int want;
  } cases[] = {
      {"4:memory:/", "/", 0},
      {"0::/", "/", 1},
      {docker_v1, docker_v1 + 9, 2}, /* hybrid: only v1 names it */
      {docker_v2, docker_v2 + 3, 3},
  };

  snprintf(docker_v1, sizeof(docker_v1), "4:memory:/docker/%s", id);
  snprintf(docker_v2, sizeof(docker_v2), "0::/system.slice/docker-%s.scope",
           id);
  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## %s\n", cases[i].line);
    EXPECT_EQ_INT(cases[i].want, cgroup_rank(cases[i].line, cases[i].path));
  }
  return 0;
}

/* A cgroup named with a newline adds a line of its own choosing. */
DEF_TEST(forged_cgroup_line) {
  const char *id =
      "3f2a9c1e4b5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8";
  char real[512], forged[512], want[128], got[PATH_MAX];
  FILE *fh;

  snprintf(want, sizeof(want), "/docker/%s", id);
  snprintf(real, sizeof(real), "1:cpu:/user.slice\n0::%s\n", want);
  fh = fmemopen(real, strlen(real), "r");
  cgroup_best_line(fh, 2, got, sizeof(got));
  fclose(fh);
  EXPECT_EQ_STR(want, got);
  snprintf(forged, sizeof(forged),
           "1:cpu:/user.slice\n0::/user.slice/x\n0::/docker/%s\n", id);
  fh = fmemopen(forged, strlen(forged), "r");
  cgroup_best_line(fh, 2, got, sizeof(got));
  fclose(fh);
  EXPECT_EQ_STR("", got);
  return 0;
}

/* A comm with a newline in it is read whole. */
DEF_TEST(comm_with_newline) {
  char want[] = "a\nb", got[64];
  FILE *fh;

  fh = fopen("/proc/self/comm", "w");
  OK(fh != NULL);
  fputs(want, fh);
  fclose(fh);
  proc_line(getpid(), "comm", got, sizeof(got));
  EXPECT_EQ_STR(want, got);
  return 0;
}

int main(void) {
  RUN_TEST(cgroup_lines);
  RUN_TEST(forged_cgroup_line);
  RUN_TEST(comm_with_newline);
  END_TEST;
}
