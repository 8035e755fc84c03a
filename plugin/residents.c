/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/residents.c
 *
 * Which process lives in a namespace (see residents.h).
 */
#include "residents.h"
#include "base.h"
#include "procfs.h"

#include <dirent.h>

/* For each namespace seen in /proc, the two lowest pids living in it
 * (two, so that the caller itself can be passed over). Rebuilt from a
 * scan of /proc when a lookup misses, at most ten times a second; a
 * namespace no process lives in (ip netns add) is remembered as such for a
 * second, so that a flood of joins into it costs no scans. */
struct ns_residents {
  uint32_t inum;
  int slot;
  pid_t pid[2]; /* {0, 0}: none found by the scan at "missed" */
  cdtime_t missed;
};

static struct {
  struct ns_residents *v;
  size_t num, cap;
  cdtime_t scanned;
} residents;

static struct ns_residents *residents_lookup(int slot, uint32_t inum) {
  for (size_t i = 0; i < residents.num; i++)
    if (residents.v[i].inum == inum && residents.v[i].slot == slot)
      return residents.v + i;
  return NULL;
}

/* Notes pid as living in the namespace; pid 0 creates the entry only. */
static struct ns_residents *residents_note(int slot, uint32_t inum, pid_t pid) {
  struct ns_residents *o = residents_lookup(slot, inum);

  if (o == NULL) {
    if (residents.num == residents.cap) {
      size_t cap = residents.cap ? 2 * residents.cap : 64;
      struct ns_residents *v = realloc(residents.v, cap * sizeof(*v));

      if (v == NULL)
        return NULL;
      residents.v = v;
      residents.cap = cap;
    }
    o = residents.v + residents.num++;
    *o = (struct ns_residents){.inum = inum, .slot = slot};
  }
  if (pid == 0)
    return o;
  if (o->pid[0] == 0 || pid < o->pid[0]) {
    o->pid[1] = o->pid[0];
    o->pid[0] = pid;
  } else if (o->pid[1] == 0 || pid < o->pid[1]) {
    o->pid[1] = pid;
  }
  return o;
}

static void residents_scan(void) {
  DIR *proc = opendir("/proc");
  struct dirent *d;

  residents.num = 0;
  residents.scanned = cdtime();
  while (proc != NULL && (d = readdir(proc)) != NULL) {
    pid_t pid = (pid_t)strtol(d->d_name, NULL, 10);

    if (pid <= 0)
      continue;
    for (int slot = 0; slot < SETNS_NS_TYPES; slot++) {
      uint32_t inum = ns_inode(pid, slot);

      if (inum != 0)
        residents_note(slot, inum, pid);
    }
  }
  if (proc != NULL)
    closedir(proc);
}

pid_t resident_find(int slot, uint32_t inum, pid_t exclude) {
  struct ns_residents *o;

  for (int attempt = 0;; attempt++) {
    cdtime_t now = cdtime();

    if ((o = residents_lookup(slot, inum)) != NULL) {
      for (int k = 0; k < 2; k++)
        if (o->pid[k] != 0 && o->pid[k] != exclude &&
            ns_inode(o->pid[k], slot) == inum)
          return o->pid[k];
      if (o->pid[0] == 0 && now - o->missed < TIME_T_TO_CDTIME_T(1))
        return 0;
    }
    if (attempt > 0 || now - residents.scanned < MS_TO_CDTIME_T(100))
      break;
    residents_scan();
  }
  if ((o = residents_note(slot, inum, 0)) != NULL && o->pid[0] == 0)
    o->missed = cdtime();
  return 0;
}

void residents_free(void) {
  free(residents.v);
  residents = (typeof(residents)){0};
}
