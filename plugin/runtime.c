/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/runtime.c
 *
 * Container names from the runtimes' JSON (see runtime.h), parsed by yajl,
 * which collectd itself uses.
 */
#include "runtime.h"
#include "names.h"

#include <string.h>
#include <yajl/yajl_tree.h>

bool runtime_json_shallow(const char *json, size_t len) {
  int depth = 0;
  bool in_string = false;

  for (size_t i = 0; i < len; i++) {
    char c = json[i];

    if (c == '\0')
      return false;
    if (in_string) {
      if (c == '\\')
        i++; /* the escaped byte, whatever it is */
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > RUNTIME_JSON_DEPTH)
        return false;
    } else if (c == ']' || c == '}') {
      depth--;
    }
  }
  return true;
}

static yajl_val parse(const char *json, size_t len) {
  char err[128];

  if (!runtime_json_shallow(json, len))
    return NULL;
  return yajl_tree_parse(json, err, sizeof(err));
}

/* Sets field, when empty, to the string at path (NULL-terminated keys). */
static bool take(yajl_val root, const char **path, char *field, size_t size) {
  yajl_val v = yajl_tree_get(root, path, yajl_t_string);
  const char *s = YAJL_GET_STRING(v);

  if (s == NULL || s[0] == '\0')
    return false;
  if (field[0] == '\0')
    escape_text(s, strlen(s), field, size);
  return true;
}

#define TAKE(root, field, ...)                                                 \
  take(root, (const char *[]){__VA_ARGS__, NULL}, field, sizeof(field))

bool runtime_docker(const char *json, size_t len, struct container_names *out) {
  yajl_val root = parse(json, len);
  const char *name;
  bool found;

  if (root == NULL)
    return false;
  name = YAJL_GET_STRING(
      yajl_tree_get(root, (const char *[]){"Name", NULL}, yajl_t_string));
  found = name != NULL && name[0] != '\0';
  if (found && out->name[0] == '\0') {
    name += name[0] == '/'; /* docker keeps "/web-1" */
    escape_text(name, strlen(name), out->name, sizeof(out->name));
  }
  found |= TAKE(root, out->image, "Config", "Image");
  yajl_tree_free(root);
  return found;
}

/* podman's pointer to a pod's infra container, kept if it is an id. */
static void sandbox(yajl_val annotations, struct container_names *out) {
  const char *id = YAJL_GET_STRING(yajl_tree_get(
      annotations, (const char *[]){"io.kubernetes.cri-o.SandboxID", NULL},
      yajl_t_string));

  if (id != NULL && strlen(id) == sizeof(out->sandbox) - 1 &&
      strspn(id, "0123456789abcdef") == sizeof(out->sandbox) - 1)
    memcpy(out->sandbox, id, sizeof(out->sandbox));
}

bool runtime_infra(const char *json, size_t len, struct container_names *out) {
  yajl_val root = parse(json, len);
  bool found;

  if (root == NULL)
    return false;
  found = TAKE(root, out->pod_name, "hostname");
  yajl_tree_free(root);
  return found;
}

/* The annotations of an OCI spec: containerd's CRI plugin first, then
 * cri-o's (which podman writes too for a container in a pod). */
bool runtime_oci(const char *json, size_t len, struct container_names *out) {
  yajl_val root = parse(json, len);
  yajl_val a;
  bool found = false;

  if (root == NULL)
    return false;
  a = yajl_tree_get(root, (const char *[]){"annotations", NULL}, yajl_t_object);
  if (a != NULL) {
    found |= TAKE(a, out->name, "io.kubernetes.cri.container-name");
    found |= TAKE(a, out->image, "io.kubernetes.cri.image-name");
    found |= TAKE(a, out->pod_name, "io.kubernetes.cri.sandbox-name");
    found |= TAKE(a, out->pod_namespace, "io.kubernetes.cri.sandbox-namespace");
    found |= TAKE(a, out->name, "io.kubernetes.container.name");
    found |= TAKE(a, out->image, "io.kubernetes.cri-o.ImageName");
    found |= TAKE(a, out->pod_name, "io.kubernetes.pod.name");
    found |= TAKE(a, out->pod_namespace, "io.kubernetes.pod.namespace");
    sandbox(a, out);
  }
  yajl_tree_free(root);
  return found;
}

/* An entry's metadata: a JSON document in a string. */
static bool podman_metadata(yajl_val entry, struct container_names *out) {
  const char *meta = YAJL_GET_STRING(
      yajl_tree_get(entry, (const char *[]){"metadata", NULL}, yajl_t_string));
  yajl_val root;
  bool found = false;

  if (meta == NULL || (root = parse(meta, strlen(meta))) == NULL)
    return false;
  found |= TAKE(root, out->name, "name");
  found |= TAKE(root, out->image, "image-name");
  yajl_tree_free(root);
  return found;
}

static yajl_val podman_entry(yajl_val root, const char *id) {
  for (size_t i = 0; YAJL_IS_ARRAY(root) && i < root->u.array.len; i++) {
    yajl_val entry = root->u.array.values[i];
    const char *eid = YAJL_GET_STRING(
        yajl_tree_get(entry, (const char *[]){"id", NULL}, yajl_t_string));

    if (eid != NULL && strcmp(eid, id) == 0)
      return entry;
  }
  return NULL;
}

bool runtime_podman(const char *json, size_t len, const char *id,
                    struct container_names *out) {
  yajl_val root = parse(json, len);
  yajl_val entry, names;
  bool found = false;

  if (root == NULL)
    return false;
  entry = podman_entry(root, id);
  if (entry != NULL) {
    found = podman_metadata(entry, out);
    names = yajl_tree_get(entry, (const char *[]){"names", NULL}, yajl_t_array);
    if (names != NULL && names->u.array.len > 0 &&
        YAJL_IS_STRING(names->u.array.values[0])) {
      const char *name = YAJL_GET_STRING(names->u.array.values[0]);

      found |= name[0] != '\0';
      if (out->name[0] == '\0')
        escape_text(name, strlen(name), out->name, sizeof(out->name));
    }
  }
  yajl_tree_free(root);
  return found;
}
