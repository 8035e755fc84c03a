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

int main(void) {
  RUN_TEST(cgroup_lines);
  END_TEST;
}
