/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/procfs.h
 *
 * What the kernel event does not carry, read from /proc and cgroupfs when a
 * notification is built: the caller's exe and cgroup path, and the host's
 * namespaces.
 */
#ifndef SETNS_PROCFS_H
#define SETNS_PROCFS_H

#include "setns.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The host's namespaces by slot, PID 1's (see host_ns_read), and the
 * host's root directory: its device as the kernel numbers it (major << 20
 * | minor, as in the event's root_dev) and its inode; 0, 0 if unknown. */
extern uint32_t host_ns[SETNS_NS_TYPES];
extern uint32_t host_root_dev;
extern uint64_t host_root_ino;
void host_ns_read(void);
/* Whether a root directory (the event's root_dev, root_ino) is the
 * host's. */
bool host_root_is(uint32_t dev, uint64_t ino);
/* The plugin's test of a process in a container, its two halves, for a
 * caller (notify.c) and a namespace's residents (residents.c) alike: both
 * its mount and pid namespaces known and not the host's; or its cgroup
 * names a container or pod, and is not delegated to a user (a user may
 * name a cgroup after a real container). */
bool ns_outside_host(uint32_t mnt, uint32_t pid);
bool cgroup_in_container(const char *path);

/* The nsfs inode of /proc/PID/ns/NAME for a slot, 0 with errno set. */
uint32_t ns_inode(pid_t pid, int slot);
/* A one-line /proc file (comm), without its last newline; "" when gone. */
void proc_line(pid_t pid, const char *file, char *buf, size_t size);
/* The target of /proc/PID/exe; "" when gone. */
void proc_exe(pid_t pid, char *buf, size_t size);
/* The cgroup of a process from /proc/PID/cgroup, the line that names a
 * container first, else the v2 one; "" when the process is gone or the
 * file has a line a cgroup name forged. */
void proc_cgroup(pid_t pid, char *buf, size_t size);

/* cgroup v2 ids to paths, even after the process is gone. */
void cgroup2_open(void);
void cgroup2_close(void);
/* The path of a cgroup v2 id below the hierarchy's root ("/" for the
 * root); false when there is no cgroup2 or the cgroup is gone. */
bool cgroup_path(uint64_t id, char *buf, size_t size);

/* The owner of a cgroup v2 directory by its path below the root; -1 when
 * it cannot be told (no cgroup2, the cgroup is gone). */
int cgroup_owner(const char *path);

#endif
