/**
 * setns-collectd - tests/fuzz/fuzz_ids.c
 *
 * container_id and pod_id on any cgroup path (a container may name its
 * own cgroups), into buffers of any size: the output is NUL-terminated
 * within the buffer, and empty, or a container id of 64 hex digits found
 * in the path, or a container name (LXC, systemd-nspawn) of 1 to 64
 * characters of [A-Za-z0-9_.-] after its runtime's prefix, or a pod id of 36
 * characters (a Kubernetes UID: hex and
 * '-') or 64 hex digits (podman's); the return value says which.
 *
 * Input: one byte for the output size (1 to 128: the callers give
 * CONTAINER_ID_LEN + 1 and POD_ID_LEN + 1), the rest the path.
 */
#include "names.h"

#include "fuzz.h"

#define NAME_CHARS                                                             \
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"

static bool all_of(const char *s, size_t len, const char *set) {
  return strlen(s) == len && strspn(s, set) == len;
}

static void check_container(const char *path, size_t size) {
  char *out = malloc(size);
  bool found;

  if (out == NULL)
    abort();
  memset(out, 'Z', size);
  found = container_id(path, out, size);
  FUZZ_CHECK(memchr(out, '\0', size) != NULL, "not NUL-terminated in %zu",
             size);
  FUZZ_CHECK(found == (out[0] != '\0'), "returned %d with \"%s\"", found, out);
  if (found && all_of(out, CONTAINER_ID_LEN, "0123456789abcdefABCDEF")) {
    FUZZ_CHECK(strstr(path, out) != NULL, "\"%s\" is not in the path", out);
  } else if (found) {
    size_t len = strlen(out);

    FUZZ_CHECK(len >= 1 && len <= CONTAINER_ID_LEN &&
                   strspn(out, NAME_CHARS) == len,
               "container name \"%s\"", out);
    FUZZ_CHECK(strstr(path, "lxc.payload") != NULL ||
                   strstr(path, "machine.slice/machine-") != NULL,
               "a name \"%s\" without its runtime's prefix", out);
  }
  free(out);
}

static void check_pod(const char *path, size_t size) {
  char *out = malloc(size);
  bool found;

  if (out == NULL)
    abort();
  memset(out, 'Z', size);
  found = pod_id(path, out, size);
  FUZZ_CHECK(memchr(out, '\0', size) != NULL, "not NUL-terminated in %zu",
             size);
  FUZZ_CHECK(found == (out[0] != '\0'), "returned %d with \"%s\"", found, out);
  if (found)
    FUZZ_CHECK(all_of(out, 36, "0123456789abcdef-") ||
                   all_of(out, POD_ID_LEN, "0123456789abcdefABCDEF"),
               "pod id \"%s\"", out);
  free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fuzz_input in = {data, size};
  size_t out_size = (size_t)fuzz_u8(&in) % 128 + 1;
  char *path = malloc(in.size + 1);

  if (path == NULL)
    abort();
  memcpy(path, in.data, in.size);
  path[in.size] = '\0';
  check_container(path, out_size);
  check_pod(path, out_size);
  /* and as the plugin calls them */
  check_container(path, CONTAINER_ID_LEN + 1);
  check_pod(path, POD_ID_LEN + 1);
  free(path);
  return 0;
}
