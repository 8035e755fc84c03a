/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/names.h
 *
 * Names and strings: namespace types and errnos as collectd names them,
 * and every string a process or the kernel controls made safe to show.
 */
#ifndef SETNS_NAMES_H
#define SETNS_NAMES_H

#include "setns.h"

#include <stdbool.h>
#include <stddef.h>

/* A container id as the runtimes write it: 64 hex digits; messages show
 * the first 12, as `docker ps` does. */
#define CONTAINER_ID_LEN 64
#define CONTAINER_ID_SHORT 12

/* The type_instance of a namespace slot, NULL for a slot that is none. */
const char *ns_slot_name(unsigned int slot);
/* The CLONE_NEW* flag of a slot. */
unsigned int ns_slot_flag(unsigned int slot);
/* The slot of a type name as users write it in the config, or -1. */
int ns_name_slot(const char *name);
/* "net,mnt" for a set of CLONE_NEW* flags, in slot order. */
void types_list(unsigned int flags, char *buf, size_t size);
/* The nstype argument as strace shows it: "0", "CLONE_NEWNET|CLONE_NEWUTS",
 * unknown bits in hex. */
void nstype_name(int nstype, char *buf, size_t size);
/* Lowercase errno name ("eperm"), or "errno<N>": always [a-z0-9]. */
void errno_name(int err, char *buf, size_t size);

/* Appends ",item" to a comma-separated list ("item" to an empty one). */
void list_append(char *list, size_t size, const char *item);

/* "\"a\", \"b\", \"c\"": the values a config key takes, for its error. */
void choices_list(const char *const *names, size_t num, char *buf, size_t size);
/* The namespace type names, by slot. */
void ns_names(const char *names[SETNS_NS_TYPES]);

/* A string from a process or the kernel made safe for a log line or a
 * meta value: printable ASCII is kept, a backslash and every other byte
 * become \\ and \xNN. At most len bytes of in are read. */
void escape_text(const char *in, size_t len, char *out, size_t size);
/* The same, for an item of a "comm[pid],comm[pid]" list: ',', '[' and
 * ']' are escaped too, so that a name cannot pass for several. */
void escape_item(const char *in, size_t len, char *out, size_t size);
/* IN (escaped by those) itself if it has at most max bytes, else its
 * first max bytes or fewer, cut between escapes, and "...", in buf. */
const char *escaped_head(const char *in, size_t max, char *buf, size_t size);
/* IN (escaped by those) itself if it has at most max bytes, else "..."
 * and its last max bytes or fewer, cut between escapes, in buf. */
const char *escaped_tail(const char *in, size_t max, char *buf, size_t size);
/* A comm as a plugin_instance: [A-Za-z0-9_-] only, "_" when empty. */
void sanitize_instance(const char *in, size_t len, char *out, size_t size);
/* The container in a cgroup path into out (CONTAINER_ID_LEN + 1 bytes):
 * its id, 64 hex digits, or for LXC and systemd-nspawn its name, of
 * [A-Za-z0-9_.-]; false, with out empty, on the host. */
bool container_id(const char *path, char *out, size_t size);
/* How much of a container id a message shows: CONTAINER_ID_SHORT of a
 * 64-digit id, all of a name. */
int container_id_shown(const char *id);

/* The pod in a cgroup path into out (POD_ID_LEN + 1 bytes): Kubernetes'
 * pod UID (kubepods/.../pod<uid>/, kubepods-...-pod<uid>.slice) or
 * podman's pod id (libpod_pod_<id>, libpod_parent/<id>/); false, with out
 * empty, outside pods. */
#define POD_ID_LEN 64
bool pod_id(const char *path, char *out, size_t size);

#endif
