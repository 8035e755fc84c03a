/**
 * setns-collectd - tests/fuzz/fuzz_runtime.c
 *
 * The runtimes' JSON files (runtime.c) as a runtime, or whoever can write
 * where it keeps them, could make them. Input: one byte choosing the
 * parser (docker's config.v2.json, an OCI config.json, podman's
 * containers.json), then the file. Whatever it holds: no crash, no leak,
 * no deep recursion (the depth check comes first), and every name
 * terminated within its field and printable ASCII.
 */
#include "runtime.h"

#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#define ID "3f2a9c1e4b5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"

static void check_field(const char *field, size_t size, const char *what) {
  FUZZ_CHECK(memchr(field, '\0', size) != NULL, "%s not terminated", what);
  FUZZ_CHECK(fuzz_printable(field), "%s \"%s\"", what, field);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct container_names n;
  uint8_t which;
  char *json;
  bool found;

  if (size < 1)
    return 0;
  which = data[0];
  json = malloc(size);
  memcpy(json, data + 1, size - 1);
  json[size - 1] = '\0';
  memset(&n, 0, sizeof(n));
  switch (which % 3) {
  case 0:
    found = runtime_docker(json, size - 1, &n);
    break;
  case 1:
    found = runtime_oci(json, size - 1, &n);
    break;
  default:
    found = runtime_podman(json, size - 1, ID, &n);
  }
  check_field(n.name, sizeof(n.name), "name");
  check_field(n.image, sizeof(n.image), "image");
  check_field(n.pod_name, sizeof(n.pod_name), "pod_name");
  check_field(n.pod_namespace, sizeof(n.pod_namespace), "pod_namespace");
  FUZZ_CHECK(found || (n.name[0] == '\0' && n.image[0] == '\0' &&
                       n.pod_name[0] == '\0' && n.pod_namespace[0] == '\0'),
             "names filled but none found");
  free(json);
  return 0;
}
