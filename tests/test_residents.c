/**
 * setns-collectd - tests/test_residents.c
 *
 * Who lives in a namespace, against a /proc of our own: symlinks
 * PID/ns/TYPE -> "TYPE:[INODE]" as the kernel shows them, so that each test
 * says which process lives where. Hits, the caller passed over, misses
 * remembered for a second, the pace of rescans and the cap on entries.
 */
#define _GNU_SOURCE /* nftw */

#include "residents.c" /* the other parts are linked */

#include "mock_plugin.h"
#include "testing.h"

#include <ftw.h>
#include <sys/stat.h>

#define MS MS_TO_CDTIME_T(1)
#define NET SETNS_SLOT_NET
#define MNT SETNS_SLOT_MNT

static char root[] = "/tmp/test_residents.XXXXXX";
static bool made;

/* PID lives in the namespace of TYPE numbered INUM. */
static int live(pid_t pid, int slot, uint32_t inum) {
  char path[PATH_MAX], text[64];

  snprintf(path, sizeof(path), "%s/%d", root, (int)pid);
  mkdir(path, 0755);
  snprintf(path, sizeof(path), "%s/%d/ns", root, (int)pid);
  mkdir(path, 0755);
  snprintf(path, sizeof(path), "%s/%d/ns/%s", root, (int)pid,
           ns_slot_name(slot));
  snprintf(text, sizeof(text), "%s:[%u]", ns_slot_name(slot), inum);
  unlink(path);
  return symlink(text, path);
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static void remove_tree(void) {
  if (made)
    nftw(root, remove_one, 16, FTW_DEPTH | FTW_PHYS);
  made = false;
}

/* An empty tree, the cache and its clock from scratch. */
static int reset(void) {
  remove_tree();
  strcpy(root + strlen(root) - 6, "XXXXXX");
  if (mkdtemp(root) == NULL)
    return -1;
  made = true;
  proc_root = root;
  residents_free();
  mock_reset();
  return 0;
}

DEF_TEST(hits) {
  cdtime_t t = cdtime();
  struct {
    int slot;
    uint32_t inum;
    pid_t exclude, want;
  } cases[] = {
      {NET, 100, 0, 10},  {NET, 100, 10, 11}, /* the caller passed over */
      {NET, 100, 11, 10}, {MNT, 100, 0, 12},  /* 100 of another type */
      {NET, 200, 0, 12},  {NET, 200, 12, 0},  /* the caller alone */
      {NET, 999, 0, 0},                       /* nobody */
  };

  OK(reset() == 0);
  OK(live(11, NET, 100) == 0);
  OK(live(10, NET, 100) == 0);
  OK(live(13, NET, 100) == 0); /* a third: only two are kept */
  OK(live(12, NET, 200) == 0);
  OK(live(12, MNT, 100) == 0);
  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## %s %u without %d\n", ns_slot_name(cases[i].slot), cases[i].inum,
           (int)cases[i].exclude);
    EXPECT_EQ_INT(cases[i].want, resident_find_at(cases[i].slot, cases[i].inum,
                                                  cases[i].exclude, t));
  }
  EXPECT_EQ_INT(1, (int)residents.scans); /* the hits came from one scan */
  return 0;
}

/* A resident that moved away is not given as the target: the other one
 * is, checked too. */
DEF_TEST(moved_away) {
  cdtime_t t = cdtime();

  OK(reset() == 0);
  OK(live(10, NET, 100) == 0);
  OK(live(11, NET, 100) == 0);
  EXPECT_EQ_INT(10, resident_find_at(NET, 100, 0, t));
  OK(live(10, NET, 101) == 0);
  EXPECT_EQ_INT(11, resident_find_at(NET, 100, 0, t + 1 * MS));
  EXPECT_EQ_INT(1, (int)residents.scans);
  return 0;
}

/* A miss, nobody or only the caller, is answered without a scan for a
 * second; then a scan finds who came in the meantime. */
DEF_TEST(miss_remembered) {
  cdtime_t t = cdtime();
  struct {
    pid_t exclude; /* only the caller (12) or nobody (0) lives there */
    uint32_t inum;
  } cases[] = {{12, 200}, {0, 300}};

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    uint32_t inum = cases[i].inum;

    printf("## inode %u without %d\n", inum, (int)cases[i].exclude);
    OK(reset() == 0);
    OK(live(12, NET, 200) == 0);
    EXPECT_EQ_INT(0, resident_find_at(NET, inum, cases[i].exclude, t));
    EXPECT_EQ_INT(1, (int)residents.scans);
    OK(live(20, NET, inum) == 0);
    for (cdtime_t at = 200 * MS; at < 1000 * MS; at += 200 * MS)
      EXPECT_EQ_INT(0, resident_find_at(NET, inum, cases[i].exclude, t + at));
    EXPECT_EQ_INT(1, (int)residents.scans);
    EXPECT_EQ_INT(20,
                  resident_find_at(NET, inum, cases[i].exclude, t + 1000 * MS));
    EXPECT_EQ_INT(2, (int)residents.scans);
  }
  return 0;
}

/* Misses outlive the scans others make. */
DEF_TEST(miss_outlives_scans) {
  cdtime_t t = cdtime();

  OK(reset() == 0);
  OK(live(12, NET, 200) == 0);
  EXPECT_EQ_INT(0, resident_find_at(NET, 200, 12, t));
  EXPECT_EQ_INT(0, resident_find_at(NET, 300, 0, t + 200 * MS));
  EXPECT_EQ_INT(2, (int)residents.scans);
  EXPECT_EQ_INT(0, resident_find_at(NET, 200, 12, t + 400 * MS));
  EXPECT_EQ_INT(2, (int)residents.scans);
  return 0;
}

/* Rescans at most every 100 ms, or ten times as long as the last one
 * took. */
DEF_TEST(rescan_pace) {
  cdtime_t t = cdtime();
  struct {
    cdtime_t took, at;
    unsigned long want_scans;
  } cases[] = {
      {0, 50 * MS, 1},
      {0, 100 * MS, 2},
      {500 * MS, 4900 * MS, 1},
      {500 * MS, 5000 * MS, 2},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## last scan took %.1f s, a miss %.2f s after it\n",
           CDTIME_T_TO_DOUBLE(cases[i].took), CDTIME_T_TO_DOUBLE(cases[i].at));
    OK(reset() == 0);
    EXPECT_EQ_INT(0, resident_find_at(NET, 300, 0, t));
    residents.took = cases[i].took;
    EXPECT_EQ_INT(0, resident_find_at(NET, 400, 0, t + cases[i].at));
    EXPECT_EQ_INT((int)cases[i].want_scans, (int)residents.scans);
  }
  return 0;
}

/* Past the cap, namespaces are not remembered (which ones depends on the
 * order of the directory), the table stops growing, and the log says so
 * once; the others are still found. */
DEF_TEST(cap) {
  cdtime_t t = cdtime();
  const int n = 2000, cap = 1500;
  int found = 0, wrong = 0, failed = 0;

  OK(reset() == 0);
  residents.max = cap;
  for (int i = 0; i < n; i++)
    failed += live(1000 + i, NET, 5000 + i) != 0;
  EXPECT_EQ_INT(0, failed);
  resident_find_at(NET, 5000, 0, t);
  EXPECT_EQ_INT(cap, (int)residents.num);
  EXPECT_EQ_INT(11, (int)residents.bits); /* 1500 fit 2048 buckets */
  for (int i = 0; i < n; i++) {
    pid_t pid = resident_find_at(NET, 5000 + i, 0, t);

    found += pid != 0;
    wrong += pid != 0 && pid != 1000 + i;
  }
  EXPECT_EQ_INT(cap, found);
  EXPECT_EQ_INT(0, wrong);
  EXPECT_EQ_INT(1, (int)residents.scans);
  OK1(residents.full_logged, "the cap logged");
  return 0;
}

/* The cap itself bounds the buckets: 3/4 of them are used at most. */
DEF_TEST(cap_bounds_buckets) {
  OK(((size_t)RESIDENTS_MAX * 4) <= ((size_t)3 << TABLE_BITS_MAX));
  return 0;
}

int main(void) {
  RUN_TEST(hits);
  RUN_TEST(moved_away);
  RUN_TEST(miss_remembered);
  RUN_TEST(miss_outlives_scans);
  RUN_TEST(rescan_pace);
  RUN_TEST(cap);
  RUN_TEST(cap_bounds_buckets);
  remove_tree();
  residents_free();
  END_TEST;
}
