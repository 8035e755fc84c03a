/**
 * setns-collectd - plugin/procfs.c
 *
 * What the kernel event does not carry, read from /proc and cgroupfs when a
 * notification is built: the caller's exe and cgroup path, the host's
 * namespaces, and a process living in a namespace (its "owner"). Part of
 * the setns.c translation unit.
 */

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#define FILEID_KERNFS 0xfe /* kernfs file handles: the cgroup id */

/* The nsfs inode of /proc/PID/ns/NAME for a slot, 0 with errno set. */
static uint32_t ns_inode(pid_t pid, int slot) {
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
static uint32_t host_ns[SETNS_NS_TYPES];

static void host_ns_read(void) {
  pid_t from = 1;

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

/* A one-line /proc file (comm), without its newline; "" when gone. */
static void proc_line(pid_t pid, const char *file, char *buf, size_t size) {
  char path[64];
  FILE *fh;

  buf[0] = '\0';
  snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
  if ((fh = fopen(path, "r")) == NULL)
    return;
  if (fgets(buf, (int)size, fh) == NULL)
    buf[0] = '\0';
  buf[strcspn(buf, "\n")] = '\0';
  fclose(fh);
}

static void proc_exe(pid_t pid, char *buf, size_t size) {
  char path[64];
  ssize_t len;

  snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
  len = readlink(path, buf, size - 1);
  buf[len > 0 ? len : 0] = '\0';
}

/* How well a line of /proc/PID/cgroup describes the process: one naming
 * a container first, then the cgroup v2 line ("0::"), then any. */
static int cgroup_rank(const char *line, const char *path) {
  char id[65];

  return (container_id(path, id, sizeof(id)) ? 2 : 0) +
         (strncmp(line, "0::", 3) == 0 ? 1 : 0);
}

/* The cgroup of a process from /proc/PID/cgroup, the best line by
 * cgroup_rank: on a hybrid host a container may be named only by the v1
 * hierarchies. "" when the process is gone. */
static void proc_cgroup(pid_t pid, char *buf, size_t size) {
  char path[64], line[4096];
  int best = -1;
  FILE *fh;

  buf[0] = '\0';
  snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
  if ((fh = fopen(path, "r")) == NULL)
    return;
  while (fgets(line, sizeof(line), fh) != NULL) {
    char *cg = strchr(line, ':');
    int rank;

    cg = cg ? strchr(cg + 1, ':') : NULL;
    if (cg == NULL)
      continue;
    cg[strcspn(cg, "\n")] = '\0';
    if ((rank = cgroup_rank(line, cg + 1)) > best) {
      best = rank;
      sstrncpy(buf, cg + 1, size);
    }
  }
  fclose(fh);
}

/* cgroup v2, for turning the kernel's cgroup id into a path even after the
 * process is gone: the id is a kernfs file handle. */
static struct {
  int fd; /* the cgroup2 mount, -1 without one */
  char root[PATH_MAX];
} cgroup2 = {.fd = -1};

static void cgroup2_open(void) {
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

static void cgroup2_close(void) {
  if (cgroup2.fd >= 0)
    close(cgroup2.fd);
  cgroup2.fd = -1;
}

/* The path of a cgroup v2 id below the hierarchy's root ("/" for the
 * root); false when there is no cgroup2 or the cgroup is gone. */
static bool cgroup_path(uint64_t id, char *buf, size_t size) {
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

/* Owners: for each namespace seen in /proc, the two lowest pids living in
 * it (two, so that the caller itself can be passed over). Rebuilt from a
 * scan of /proc when a lookup misses, at most ten times a second; a
 * namespace no process lives in (ip netns add) is remembered as such for a
 * second, so that a flood of joins into it costs no scans. */
struct ns_owner {
  uint32_t inum;
  int slot;
  pid_t pid[2]; /* {0, 0}: none found by the scan at "missed" */
  cdtime_t missed;
};

static struct {
  struct ns_owner *v;
  size_t num, cap;
  cdtime_t scanned;
} owners;

static struct ns_owner *owner_lookup(int slot, uint32_t inum) {
  for (size_t i = 0; i < owners.num; i++)
    if (owners.v[i].inum == inum && owners.v[i].slot == slot)
      return owners.v + i;
  return NULL;
}

/* Notes pid as living in the namespace; pid 0 creates the entry only. */
static struct ns_owner *owner_note(int slot, uint32_t inum, pid_t pid) {
  struct ns_owner *o = owner_lookup(slot, inum);

  if (o == NULL) {
    if (owners.num == owners.cap) {
      size_t cap = owners.cap ? 2 * owners.cap : 64;
      struct ns_owner *v = realloc(owners.v, cap * sizeof(*v));

      if (v == NULL)
        return NULL;
      owners.v = v;
      owners.cap = cap;
    }
    o = owners.v + owners.num++;
    *o = (struct ns_owner){.inum = inum, .slot = slot};
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

static void owners_scan(void) {
  DIR *proc = opendir("/proc");
  struct dirent *d;

  owners.num = 0;
  owners.scanned = cdtime();
  while (proc != NULL && (d = readdir(proc)) != NULL) {
    pid_t pid = (pid_t)strtol(d->d_name, NULL, 10);

    if (pid <= 0)
      continue;
    for (int slot = 0; slot < SETNS_NS_TYPES; slot++) {
      uint32_t inum = ns_inode(pid, slot);

      if (inum != 0)
        owner_note(slot, inum, pid);
    }
  }
  if (proc != NULL)
    closedir(proc);
}

/* A process other than exclude living in the namespace, checked to still
 * be there; 0 when none is found. */
static pid_t owner_find(int slot, uint32_t inum, pid_t exclude) {
  struct ns_owner *o;

  for (int attempt = 0;; attempt++) {
    cdtime_t now = cdtime();

    if ((o = owner_lookup(slot, inum)) != NULL) {
      for (int k = 0; k < 2; k++)
        if (o->pid[k] != 0 && o->pid[k] != exclude &&
            ns_inode(o->pid[k], slot) == inum)
          return o->pid[k];
      if (o->pid[0] == 0 && now - o->missed < TIME_T_TO_CDTIME_T(1))
        return 0;
    }
    if (attempt > 0 || now - owners.scanned < MS_TO_CDTIME_T(100))
      break;
    owners_scan();
  }
  if ((o = owner_note(slot, inum, 0)) != NULL && o->pid[0] == 0)
    o->missed = cdtime();
  return 0;
}

static void owners_free(void) {
  free(owners.v);
  owners = (typeof(owners)){0};
}
