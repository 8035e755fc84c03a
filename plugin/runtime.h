/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/runtime.h
 *
 * The names people know a container by (its name, its image, its pod and
 * the pod's namespace) from the JSON files each runtime keeps on the host:
 * docker's config.v2.json, podman's containers.json, and the annotations of
 * an OCI bundle's config.json (containerd's CRI, cri-o, podman). Only
 * parsing here, from a buffer: containers.c finds and reads the files.
 * What they say is untrusted (a pod's name is any Kubernetes user's
 * choice): every name comes out escaped and cut.
 */
#ifndef SETNS_RUNTIME_H
#define SETNS_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>

/* The longest name kept, escaped: Kubernetes names are DNS labels of at
 * most 63 bytes (pods 253), images may be longer, with a registry. */
#define RUNTIME_NAME_LEN 128
#define RUNTIME_IMAGE_LEN 256

struct container_names {
  char name[RUNTIME_NAME_LEN];
  char image[RUNTIME_IMAGE_LEN];
  char pod_name[RUNTIME_NAME_LEN];
  char pod_namespace[RUNTIME_NAME_LEN];
  /* podman names no pod in a container's files, only its infra container
   * (io.kubernetes.cri-o.SandboxID): 64 hex digits, or "" */
  char sandbox[65];
};

/* How deep a runtime file may nest: theirs nest less than 10 deep, and
 * deeper input would cost yajl's tree recursion when freed. */
#define RUNTIME_JSON_DEPTH 32

/* Whether json, of len bytes, nests at most RUNTIME_JSON_DEPTH deep and
 * holds no NUL byte, strings and their escapes skipped as JSON reads them.
 * The parsers below ask it before yajl sees the input. */
bool runtime_json_shallow(const char *json, size_t len);

/* Each fills what it finds of out's empty fields, leaving the others, so
 * that several files add up; true when it found any. json is NUL
 * terminated at len. */
/* docker: Name (without its leading '/') and Config.Image. */
bool runtime_docker(const char *json, size_t len, struct container_names *out);
/* An OCI runtime spec: the annotations containerd's CRI plugin, cri-o and
 * podman write there. */
bool runtime_oci(const char *json, size_t len, struct container_names *out);
/* A podman pod's infra container's spec: its hostname, which podman makes
 * the pod's name unless told otherwise, as pod_name. */
bool runtime_infra(const char *json, size_t len, struct container_names *out);
/* podman's (containers/storage's) containers.json: the entry of id, its
 * metadata's name and image-name. */
bool runtime_podman(const char *json, size_t len, const char *id,
                    struct container_names *out);

#endif
