/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/procfs.c
 *
 * /proc and cgroupfs, read when a notification is built (see procfs.h).
 */
#define _GNU_SOURCE /* open_by_handle_at */

#include "procfs.h"
#include "base.h"
#include "names.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define FILEID_KERNFS 0xfe /* kernfs file handles: the cgroup id */

uint32_t ns_inode(pid_t pid, int slot) {
  char path[64];
  struct stat st;

  snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns_slot_name(slot));
  if (stat(path, &st) != 0)
    return 0;
  return (uint32_t)st.st_ino;
}

/* The host's namespaces are PID 1's. Where /proc/1/ns cannot be read (a
 * sandbox that hides PID 1), collectd's own stand in for them, with a note
 * in the log: collectd runs on the host. */
uint32_t host_ns[SETNS_NS_TYPES];
uint32_t host_root_dev;
uint64_t host_root_ino;

/* PID 1's root, or where that is hidden, collectd's own, as for the
 * namespaces. */
static void host_root_read(void) {
  struct stat st;

  host_root_dev = 0;
  host_root_ino = 0;
  if (stat("/proc/1/root/", &st) != 0 && stat("/", &st) != 0)
    return;
  host_root_dev = major(st.st_dev) << 20 | minor(st.st_dev);
  host_root_ino = st.st_ino;
}

bool ns_outside_host(uint32_t mnt, uint32_t pid) {
  return mnt && mnt != host_ns[SETNS_SLOT_MNT] && pid &&
         pid != host_ns[SETNS_SLOT_PID];
}

bool cgroup_in_container(const char *path) {
  char id[CONTAINER_ID_LEN + 1], pod[POD_ID_LEN + 1];

  return (container_id(path, id, sizeof(id)) ||
          pod_id(path, pod, sizeof(pod))) &&
         cgroup_owner(path) <= 0;
}

bool host_root_is(uint32_t dev, uint64_t ino) {
  return host_root_ino != 0 && dev == host_root_dev && ino == host_root_ino;
}

void host_ns_read(void) {
  pid_t from = 1;

  host_root_read();

  for (int slot = 0; slot < SETNS_NS_TYPES; slot++) {
    host_ns[slot] = ns_inode(from, slot);
    if (host_ns[slot] != 0 || errno == ENOENT || from != 1)
      continue; /* ENOENT: a type this kernel does not have */
    INFO(PLUGIN_NAME " plugin: cannot read /proc/1/ns/%s (%s); taking "
                     "collectd's own namespaces as the host's",
         ns_slot_name(slot), STRERRNO);
    from = getpid();
    slot = -1; /* start over, all from the same process */
  }
}

/* The whole file but its last newline: a comm may hold newlines too. */
void proc_line(pid_t pid, const char *file, char *buf, size_t size) {
  char path[64];
  size_t len = 0;
  FILE *fh;

  buf[0] = '\0';
  snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
  if ((fh = fopen(path, "r")) == NULL)
    return;
  len = fread(buf, 1, size - 1, fh);
  fclose(fh);
  if (len > 0 && buf[len - 1] == '\n')
    len--;
  buf[len] = '\0';
}

void proc_exe(pid_t pid, char *buf, size_t size) {
  char path[64];
  ssize_t len;

  snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
  len = readlink(path, buf, size - 1);
  buf[len > 0 ? len : 0] = '\0';
}

/* How well a line of /proc/PID/cgroup describes the process: one naming
 * a container first, then the cgroup v2 line ("0::"), then any. */
static int cgroup_rank(const char *line, const char *path) {
  char id[CONTAINER_ID_LEN + 1];

  return (container_id(path, id, sizeof(id)) ? 2 : 0) +
         (strncmp(line, "0::", 3) == 0 ? 1 : 0);
}

/* The number of lines of a /proc/PID/cgroup file: one per hierarchy,
 * the same for every process, so collectd's own tell. */
static int cgroup_hierarchies(void) {
  static int lines = -1;
  char line[4096];
  FILE *fh;

  if (lines >= 0)
    return lines;
  if ((fh = fopen("/proc/self/cgroup", "r")) == NULL)
    return 0;
  lines = 0;
  while (fgets(line, sizeof(line), fh) != NULL)
    lines++;
  fclose(fh);
  return lines;
}

/* The best line of a /proc/PID/cgroup file by cgroup_rank: on a hybrid
 * host a container may be named only by the v1 hierarchies. A cgroup name
 * may hold a newline, and so forge a line: a file with more lines than
 * there are hierarchies is trusted for nothing. */
/* The path of a /proc/PID/cgroup line ("ID:CONTROLLERS:PATH"), its
 * newline cut; NULL for a line of another form. */
static char *cgroup_line_path(char *line) {
  char *cg = strchr(line, ':');

  cg = cg ? strchr(cg + 1, ':') : NULL;
  if (cg == NULL)
    return NULL;
  cg[strcspn(cg, "\n")] = '\0';
  return cg + 1;
}

static void cgroup_best_line(FILE *fh, int hierarchies, char *buf,
                             size_t size) {
  char line[4096], *path;
  int best = -1, lines = 0, rank;

  buf[0] = '\0';
  while (fgets(line, sizeof(line), fh) != NULL) {
    lines++;
    if ((path = cgroup_line_path(line)) == NULL)
      continue;
    if ((rank = cgroup_rank(line, path)) > best) {
      best = rank;
      sstrncpy(buf, path, size);
    }
  }
  if (lines != hierarchies)
    buf[0] = '\0';
}

void proc_cgroup(pid_t pid, char *buf, size_t size) {
  char path[64];
  FILE *fh;

  buf[0] = '\0';
  snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
  if ((fh = fopen(path, "r")) == NULL)
    return;
  cgroup_best_line(fh, cgroup_hierarchies(), buf, size);
  fclose(fh);
}

/* cgroup v2, for turning the kernel's cgroup id into a path even after the
 * process is gone: the id is a kernfs file handle. */
static struct {
  int fd; /* the cgroup2 mount, -1 without one */
  char root[PATH_MAX];
} cgroup2 = {.fd = -1};

void cgroup2_open(void) {
  char line[4096], mnt[PATH_MAX], type[64];
  FILE *fh = fopen("/proc/self/mountinfo", "r");

  while (fh != NULL && fgets(line, sizeof(line), fh) != NULL) {
    const char *sep = strstr(line, " - ");

    /* id parent major:minor root mountpoint ... - fstype source opts */
    if (sep == NULL || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
        sscanf(sep, " - %63s", type) != 1 || strcmp(type, "cgroup2") != 0)
      continue;
    cgroup2.fd = open(mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    sstrncpy(cgroup2.root, mnt, sizeof(cgroup2.root));
    break;
  }
  if (fh != NULL)
    fclose(fh);
}

void cgroup2_close(void) {
  if (cgroup2.fd >= 0)
    close(cgroup2.fd);
  cgroup2.fd = -1;
}

int cgroup_owner(const char *path) {
  struct stat st;

  if (cgroup2.fd < 0 || path[0] != '/')
    return -1;
  if (fstatat(cgroup2.fd, path[1] ? path + 1 : ".", &st, 0) != 0)
    return -1;
  return (int)st.st_uid;
}

bool cgroup_path(uint64_t id, char *buf, size_t size) {
  struct {
    struct file_handle fh;
    uint64_t id;
  } handle = {
      .fh = {.handle_bytes = sizeof(uint64_t), .handle_type = FILEID_KERNFS}};
  char link[64], path[PATH_MAX];
  size_t root = strlen(cgroup2.root);
  ssize_t len;
  int fd;

  if (cgroup2.fd < 0 || id == 0)
    return false;
  memcpy(handle.fh.f_handle, &id, sizeof(id));
  fd = open_by_handle_at(cgroup2.fd, &handle.fh, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
  len = readlink(link, path, sizeof(path) - 1);
  close(fd);
  if (len < (ssize_t)root || strncmp(path, cgroup2.root, root) != 0)
    return false;
  path[len] = '\0';
  sstrncpy(buf, path[root] ? path + root : "/", size);
  return true;
}
