/**
 * setns-collectd - tests/fuzz/fuzz_cgroup.c
 *
 * /proc/PID/cgroup as any process could make it look (a cgroup name may
 * hold ':' and newlines), read through fmemopen as proc_cgroup reads the
 * file: cgroup_best_line gives a NUL-terminated string within the buffer,
 * empty when the file has another number of lines than there are
 * hierarchies, else the path of one of its lines (cut to the buffer), the
 * best by cgroup_rank, and cgroup_rank is 0 to 3.
 *
 * Input: one byte for the number of hierarchies (0 to 15), one for the
 * buffer size (1 to 256, or PATH_MAX as the plugin has it), the rest the
 * file.
 */
#include "procfs.c"

#include "fuzz.h"

/* Reads the file again, line by line as fgets gives them to the plugin
 * (4095 bytes at most): got must be empty when the lines are not one per
 * hierarchy, else the (cut) path of a line of the best rank. */
static void check_best(const char *file, size_t len, int hierarchies,
                       const char *got, size_t size) {
  char line[4096];
  int best = -1, got_rank = -1, lines = 0;
  FILE *fh = fmemopen((void *)file, len, "r");

  if (fh == NULL)
    abort();
  while (fgets(line, sizeof(line), fh) != NULL) {
    char *path;
    int rank;

    lines++;
    if ((path = cgroup_line_path(line)) == NULL)
      continue;
    rank = cgroup_rank(line, path);
    FUZZ_CHECK(rank >= 0 && rank <= 3, "rank %d", rank);
    if (rank > best)
      best = rank;
    if (strlen(got) == strnlen(path, size - 1) &&
        strncmp(path, got, size - 1) == 0 && rank > got_rank)
      got_rank = rank;
  }
  fclose(fh);
  if (lines != hierarchies)
    FUZZ_CHECK(got[0] == '\0', "%d lines, %d hierarchies, yet \"%s\"", lines,
               hierarchies, got);
  else if (best >= 0)
    FUZZ_CHECK(got_rank == best, "\"%s\" (rank %d) is not of the best rank %d",
               got, got_rank, best);
  else
    FUZZ_CHECK(got[0] == '\0', "\"%s\" from a file without a path", got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fuzz_input in = {data, size};
  int hierarchies = fuzz_u8(&in) % 16;
  uint8_t s = fuzz_u8(&in);
  size_t buf_size = s == 255 ? PATH_MAX : (size_t)s + 1;
  char *buf = malloc(buf_size), *file;
  FILE *fh;

  if (buf == NULL || in.size == 0) {
    free(buf);
    return 0;
  }
  /* fgets stops at a NUL byte only as a string: the file has none */
  file = malloc(in.size);
  if (file == NULL)
    abort();
  memcpy(file, in.data, in.size);
  for (size_t i = 0; i < in.size; i++)
    if (file[i] == '\0')
      file[i] = '/';
  memset(buf, 'Z', buf_size);
  if ((fh = fmemopen(file, in.size, "r")) == NULL)
    abort();
  cgroup_best_line(fh, hierarchies, buf, buf_size);
  fclose(fh);
  FUZZ_CHECK(memchr(buf, '\0', buf_size) != NULL, "not NUL-terminated");
  check_best(file, in.size, hierarchies, buf, buf_size);
  free(file);
  free(buf);
  return 0;
}
