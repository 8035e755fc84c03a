/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/containers.c
 *
 * Which file names a container, read with a bound, and what was found
 * remembered (see containers.h).
 */
#include "containers.h"
#include "base.h"
#include "names.h"
#include "notice.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAX 256                    /* containers remembered, ~150 KiB */
#define FILE_MAX (1024 * 1024)           /* a container's own file */
#define LIST_FILE_MAX (16 * 1024 * 1024) /* podman's list of all of them */
#define RETRY_NS 1000000000ULL           /* a look that found nothing */
#define TASK_DIR "io.containerd.runtime.v2.task"

static const struct settings *cfg;

static struct entry {
  char id[CONTAINER_ID_LEN + 1];
  struct container_names names;
  bool found;
  uint64_t looked_ns; /* when the files were read */
  uint64_t used;      /* for eviction: the least recently used goes */
} cache[CACHE_MAX];
static uint64_t uses;

void containers_open(const struct settings *s) {
  cfg = s;
  containers_close();
}

void containers_close(void) {
  memset(cache, 0, sizeof(cache));
  uses = 0;
}

/* A regular file of at most max bytes, NUL-terminated, or NULL. The
 * runtimes' directories are root's; a FIFO or a huge file there still
 * costs nothing. */
static char *read_file(const char *path, size_t max, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  struct stat st;
  char *buf = NULL;
  ssize_t n = 0;

  if (fd < 0)
    return NULL;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
      (size_t)st.st_size > max)
    goto cleanup;
  buf = malloc((size_t)st.st_size + 1);
  if (buf == NULL)
    goto cleanup;
  n = read(fd, buf, (size_t)st.st_size);
  if (n <= 0) {
    sfree(buf);
    goto cleanup;
  }
  buf[n] = '\0';
  *len = (size_t)n;

cleanup:
  close(fd);
  return buf;
}

typedef bool (*parser)(const char *json, size_t len,
                       struct container_names *out);

static bool parse_file(const char *path, size_t max, parser parse,
                       struct container_names *out) {
  size_t len = 0;
  char *json = read_file(path, max, &len);
  bool found = json != NULL && parse(json, len, out);

  free(json);
  return found;
}

/* containerd keeps a task's bundle under its namespace, which the id does
 * not tell: each namespace's directory is tried (there are few). */
static bool from_containerd(const char *id, struct container_names *out) {
  char dir[PATH_MAX], path[PATH_MAX + 128];
  struct dirent *d;
  bool found = false;
  DIR *nsdirs;

  snprintf(dir, sizeof(dir), "%s/" TASK_DIR, cfg->containerd_state);
  nsdirs = opendir(dir);
  if (nsdirs == NULL)
    return false;
  while (!found && (d = readdir(nsdirs)) != NULL) {
    if (d->d_name[0] == '.')
      continue;
    snprintf(path, sizeof(path), "%s/%s/%s/config.json", dir, d->d_name, id);
    found = parse_file(path, FILE_MAX, runtime_oci, out);
  }
  closedir(nsdirs);
  return found;
}

/* containers/storage keeps a directory per storage driver: the one in use
 * has the container. */
static const char *const drivers[] = {"overlay", "vfs", "btrfs", "zfs"};

/* podman and cri-o keep a container's spec in its userdata: cri-o under
 * the run root and the storage root, podman under the storage root only. */
static bool from_userdata(const char *root, const char *id, parser parse,
                          struct container_names *out) {
  char path[PATH_MAX + 128];
  bool found = false;

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(drivers) && !found; i++) {
    snprintf(path, sizeof(path), "%s/%s-containers/%s/userdata/config.json",
             root, drivers[i], id);
    found = parse_file(path, FILE_MAX, parse, out);
  }
  return found;
}

/* podman's names and image, in the storage's list of containers. */
static bool from_podman_list(const char *id, struct container_names *out) {
  char path[PATH_MAX + 128];
  bool found = false;
  size_t len = 0;
  char *json;

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(drivers) && !found; i++) {
    snprintf(path, sizeof(path), "%s/%s-containers/containers.json",
             cfg->containers_storage, drivers[i]);
    json = read_file(path, LIST_FILE_MAX, &len);
    found = json != NULL && runtime_podman(json, len, id, out);
    free(json);
  }
  return found;
}

/* podman names a pod's infra container after the pod's id: "<12 hex
 * digits>-infra". */
static bool is_infra_name(const char *name) {
  return strlen(name) == 18 && strspn(name, "0123456789abcdef") == 12 &&
         strcmp(name + 12, "-infra") == 0;
}

/* cri-o's annotations name the pod; podman's point to its infra container,
 * whose hostname is the pod's name (and the infra container's own). */
static bool from_containers_storage(const char *id,
                                    struct container_names *out) {
  bool found = from_userdata(cfg->containers_run_root, id, runtime_oci, out) ||
               from_userdata(cfg->containers_storage, id, runtime_oci, out);

  if (out->pod_name[0] == '\0' && out->sandbox[0] != '\0' &&
      strcmp(out->sandbox, id) != 0)
    from_userdata(cfg->containers_storage, out->sandbox, runtime_infra, out);
  found |= from_podman_list(id, out);
  if (out->pod_name[0] == '\0' && is_infra_name(out->name))
    from_userdata(cfg->containers_storage, id, runtime_infra, out);
  return found;
}

static bool look_up(const char *id, struct container_names *out) {
  char path[PATH_MAX + 128];

  memset(out, 0, sizeof(*out));
  snprintf(path, sizeof(path), "%s/containers/%s/config.v2.json",
           cfg->docker_data_root, id);
  return parse_file(path, FILE_MAX, runtime_docker, out) ||
         from_containerd(id, out) || from_containers_storage(id, out);
}

/* The entry of id, or the least recently used one, emptied for it. */
static struct entry *cache_slot(const char *id, bool *hit) {
  struct entry *e = cache;

  for (int i = 0; i < CACHE_MAX; i++) {
    if (strcmp(cache[i].id, id) == 0) {
      *hit = true;
      return cache + i;
    }
    if (cache[i].used < e->used)
      e = cache + i;
  }
  *hit = false;
  memset(e, 0, sizeof(*e));
  sstrncpy(e->id, id, sizeof(e->id));
  return e;
}

static bool is_hex_id(const char *id) {
  return strlen(id) == CONTAINER_ID_LEN &&
         strspn(id, "0123456789abcdef") == CONTAINER_ID_LEN;
}

bool containers_names(const char *id, struct container_names *out) {
  uint64_t now = monotonic_ns();
  struct entry *e;
  bool hit;

  memset(out, 0, sizeof(*out));
  if (cfg == NULL || !cfg->container_names || id[0] == '\0')
    return false;
  if (!is_hex_id(id)) { /* LXC, systemd-nspawn: the cgroup has its name */
    escape_text(id, strlen(id), out->name, sizeof(out->name));
    return true;
  }
  e = cache_slot(id, &hit);
  e->used = ++uses;
  if (!hit || (!e->found && now - e->looked_ns >= RETRY_NS)) {
    e->found = look_up(id, &e->names);
    e->looked_ns = now;
  }
  *out = e->names;
  return e->found;
}
