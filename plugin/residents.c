/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/residents.c
 *
 * Which process lives in a namespace (see residents.h).
 */
#include "residents.h"
#include "base.h"
#include "names.h"
#include "procfs.h"

#include <dirent.h>
#include <fcntl.h>

/* Anyone may make namespaces by the ten thousand, and every lookup runs on
 * the event thread: each bound below keeps that thread's work, and what it
 * holds, from growing with them. */
#define TABLE_BITS_MIN 10
#define TABLE_BITS_MAX 16
/* Entries at most: the table is then 3/4 full, 1 MiB of buckets. */
#define RESIDENTS_MAX (3U << (TABLE_BITS_MAX - 2))
#define MISS_BITS 12 /* 4096 remembered misses: 64 KiB */
#define MISS_TTL TIME_T_TO_CDTIME_T(1)
/* A scan waits 10 times as long as the last one took, so that scanning
 * never takes more than a tenth of the thread's time. */
#define RESCAN_MIN MS_TO_CDTIME_T(100)
#define RESCAN_FACTOR 10

/* For each namespace seen in /proc, the two lowest pids living in it (two,
 * so that the caller itself can be passed over). */
struct ns_residents {
  uint32_t inum; /* 0: a free bucket; nsfs has no inode 0 */
  int slot;
  pid_t pid[2]; /* pid[1] 0: one found */
};

/* A namespace where a scan found no one but the caller, if anyone: not
 * scanned for again for MISS_TTL. One per bucket, the newest kept. */
struct ns_miss {
  uint32_t inum;
  int slot;
  cdtime_t at;
};

/* The table is rebuilt by every scan, so it has neither deletions nor
 * tombstones: open addressing with linear probing is enough. The misses
 * outlive scans, so that each gets its second. */
static struct {
  struct ns_residents *v;
  unsigned bits;       /* 1 << bits buckets; 0: none allocated */
  size_t num, max;     /* entries; at most max */
  bool full_logged;    /* the cap was reached: said once */
  cdtime_t scanned;    /* when the last scan began */
  cdtime_t took;       /* and how long it took */
  unsigned long scans; /* for tests */
  struct ns_miss miss[1U << MISS_BITS];
} residents = {.max = RESIDENTS_MAX};

/* The /proc to scan; a test's own tree. */
static const char *proc_root = "/proc";

/* A test's tree has no cgroups to read: its processes are not judged. */
static bool proc_root_is_proc(void) { return strcmp(proc_root, "/proc") == 0; }

/* Fibonacci hashing: nsfs numbers its inodes in sequence. */
static uint32_t ns_hash(int slot, uint32_t inum) {
  return (inum ^ ((uint32_t)slot << 24)) * 2654435769u;
}

static struct ns_residents *bucket(int slot, uint32_t inum) {
  uint32_t mask = (1U << residents.bits) - 1;
  uint32_t i = ns_hash(slot, inum) >> (32 - residents.bits);

  while (residents.v[i].inum != 0 &&
         (residents.v[i].inum != inum || residents.v[i].slot != slot))
    i = (i + 1) & mask;
  return residents.v + i;
}

static struct ns_residents *table_find(int slot, uint32_t inum) {
  struct ns_residents *o;

  if (residents.bits == 0)
    return NULL;
  o = bucket(slot, inum);
  return o->inum != 0 ? o : NULL;
}

/* Doubles the table, up to TABLE_BITS_MAX, keeping the entries. */
static bool table_grow(void) {
  struct ns_residents *old = residents.v;
  size_t n = old ? (size_t)1 << residents.bits : 0;
  unsigned bits = old ? residents.bits + 1 : TABLE_BITS_MIN;
  struct ns_residents *v = calloc((size_t)1 << bits, sizeof(*v));

  if (v == NULL)
    return false;
  residents.v = v;
  residents.bits = bits;
  for (size_t i = 0; i < n; i++)
    if (old[i].inum != 0)
      *bucket(old[i].slot, old[i].inum) = old[i];
  free(old);
  return true;
}

/* The entry of a namespace, made if need be; NULL beyond the cap. */
static struct ns_residents *table_add(int slot, uint32_t inum) {
  struct ns_residents *o = table_find(slot, inum);

  if (o != NULL)
    return o;
  if (residents.num >= residents.max) {
    if (!residents.full_logged)
      WARNING(PLUGIN_NAME " plugin: more than %zu namespaces: joins into the "
                          "others are notified without a target",
              residents.max);
    residents.full_logged = true;
    return NULL;
  }
  if ((residents.num + 1) * 4 > (size_t)3 << residents.bits &&
      residents.bits < TABLE_BITS_MAX && !table_grow())
    return NULL;
  o = bucket(slot, inum);
  *o = (struct ns_residents){.inum = inum, .slot = slot};
  residents.num++;
  return o;
}

/* Keeps the two lowest pids. */
static void note_pid(struct ns_residents *o, pid_t pid) {
  if (o->pid[0] == 0 || pid < o->pid[0]) {
    o->pid[1] = o->pid[0];
    o->pid[0] = pid;
  } else if (o->pid[1] == 0 || pid < o->pid[1]) {
    o->pid[1] = pid;
  }
}

/* The inode of a namespace from the text of its link, "net:[4026531840]":
 * unlike stat(), readlink() makes the kernel instantiate no nsfs inode. */
static uint32_t ns_link_inode(int dir_fd, const char *path) {
  char text[64];
  ssize_t len = readlinkat(dir_fd, path, text, sizeof(text) - 1);
  const char *inum;

  if (len <= 0)
    return 0;
  text[len] = '\0';
  inum = strchr(text, '[');
  return inum ? (uint32_t)strtoul(inum + 1, NULL, 10) : 0;
}

/* Every namespace of one process. Through the directory fd of PROC/PID/ns,
 * the path is walked once per process rather than once per type. */
static void scan_process(int proc_fd, const char *pid_name, pid_t pid) {
  char path[64];
  int ns_fd;

  snprintf(path, sizeof(path), "%s/ns", pid_name);
  ns_fd = openat(proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (ns_fd < 0)
    return;
  for (int slot = 0; slot < SETNS_NS_TYPES; slot++) {
    uint32_t inum = ns_link_inode(ns_fd, ns_slot_name(slot));
    struct ns_residents *o;

    if (inum != 0 && (o = table_add(slot, inum)) != NULL)
      note_pid(o, pid);
  }
  close(ns_fd);
}

/* PROC as a directory stream and, for openat, its fd. */
static DIR *proc_open(int *proc_fd) {
  *proc_fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  return *proc_fd >= 0 ? fdopendir(*proc_fd) : NULL;
}

static void proc_close(DIR *proc, int proc_fd) {
  if (proc != NULL)
    closedir(proc);
  else if (proc_fd >= 0)
    close(proc_fd);
}

static void residents_scan(void) {
  int proc_fd;
  DIR *proc = proc_open(&proc_fd);
  struct dirent *d;

  residents.scans++;
  if (residents.v != NULL)
    memset(residents.v, 0, sizeof(*residents.v) << residents.bits);
  residents.num = 0;
  while (proc != NULL && (d = readdir(proc)) != NULL) {
    pid_t pid = (pid_t)strtol(d->d_name, NULL, 10);

    if (pid > 0)
      scan_process(proc_fd, d->d_name, pid);
  }
  proc_close(proc, proc_fd);
}

/* Whether pid still lives in the namespace. */
static bool resident_still(pid_t pid, int slot, uint32_t inum) {
  char path[PATH_MAX];

  snprintf(path, sizeof(path), "%s/%d/ns/%s", proc_root, (int)pid,
           ns_slot_name(slot));
  return ns_link_inode(AT_FDCWD, path) == inum;
}

/* A resident the last scan found, other than exclude, still there. */
static pid_t resident_cached(int slot, uint32_t inum, pid_t exclude) {
  struct ns_residents *o = table_find(slot, inum);

  for (int k = 0; o != NULL && k < 2; k++)
    if (o->pid[k] != 0 && o->pid[k] != exclude &&
        resident_still(o->pid[k], slot, inum))
      return o->pid[k];
  return 0;
}

static struct ns_miss *miss_bucket(int slot, uint32_t inum) {
  return residents.miss + (ns_hash(slot, inum) >> (32 - MISS_BITS));
}

/* A clock set back makes now - at huge: the miss has expired then. */
static bool miss_fresh(int slot, uint32_t inum, cdtime_t now) {
  const struct ns_miss *m = miss_bucket(slot, inum);

  return m->inum == inum && m->slot == slot && now - m->at < MISS_TTL;
}

static bool rescan_due(cdtime_t now) {
  cdtime_t wait = RESCAN_FACTOR * residents.took;

  return now - residents.scanned >= (wait > RESCAN_MIN ? wait : RESCAN_MIN);
}

/* resident_find at the time now: a test's clock. */
static pid_t resident_find_at(int slot, uint32_t inum, pid_t exclude,
                              cdtime_t now) {
  pid_t pid;
  cdtime_t begin;

  if (inum == 0)
    return 0;
  if ((pid = resident_cached(slot, inum, exclude)) != 0)
    return pid;
  if (miss_fresh(slot, inum, now) || !rescan_due(now))
    return 0;
  begin = cdtime();
  residents_scan();
  residents.took = cdtime() - begin;
  residents.scanned = now;
  if ((pid = resident_cached(slot, inum, exclude)) == 0)
    *miss_bucket(slot, inum) = (struct ns_miss){inum, slot, now};
  return pid;
}

pid_t resident_find(int slot, uint32_t inum, pid_t exclude) {
  return resident_find_at(slot, inum, exclude, cdtime());
}

/* Whether a process is on the host by the test a caller is judged by
 * (procfs.h). The cgroup is read only for processes the namespaces leave
 * in doubt; one gone while it is looked at is not on the host. */
static bool on_host(int proc_fd, const char *pid_name, pid_t pid) {
  char path[64], raw[PATH_MAX];
  uint32_t mnt, pidns;

  snprintf(path, sizeof(path), "%s/ns/mnt", pid_name);
  mnt = ns_link_inode(proc_fd, path);
  snprintf(path, sizeof(path), "%s/ns/pid", pid_name);
  pidns = ns_link_inode(proc_fd, path);
  if (mnt == 0 || pidns == 0 || ns_outside_host(mnt, pidns))
    return false;
  proc_cgroup(pid, raw, sizeof(raw));
  return !cgroup_in_container(raw);
}

/* A pass over /proc for one namespace: one link read per process, and the
 * test above for those living there, until one is on the host. Only a
 * caller in a container asks, for a join the rate limit let through. */
pid_t resident_host(int slot, uint32_t inum, pid_t exclude) {
  int proc_fd;
  DIR *proc = proc_open(&proc_fd);
  pid_t found = 0;
  struct dirent *d;
  char path[64];

  while (inum != 0 && proc != NULL && found == 0 &&
         (d = readdir(proc)) != NULL) {
    pid_t pid = (pid_t)strtol(d->d_name, NULL, 10);

    snprintf(path, sizeof(path), "%s/ns/%s", d->d_name, ns_slot_name(slot));
    if (pid > 0 && pid != exclude && ns_link_inode(proc_fd, path) == inum &&
        proc_root_is_proc() && on_host(proc_fd, d->d_name, pid))
      found = pid;
  }
  proc_close(proc, proc_fd);
  return found;
}

void residents_free(void) {
  free(residents.v);
  residents = (typeof(residents)){.max = RESIDENTS_MAX};
}
