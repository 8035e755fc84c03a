/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/residents.h
 *
 * Which process lives in a namespace: the "target" of a join, found by
 * resolving the namespace's inode against /proc/PID/ns/.
 */
#ifndef SETNS_RESIDENTS_H
#define SETNS_RESIDENTS_H

#include <stdint.h>
#include <sys/types.h>

/* The lowest-numbered process other than exclude living in the namespace
 * of this slot and inode, checked to still be there; 0 when none is. A
 * miss rescans /proc, unless that namespace was found empty (but for
 * exclude) in the last second or the last scan is too recent: see
 * residents.c for the bounds. */
pid_t resident_find(int slot, uint32_t inum, pid_t exclude);
/* A process on the host (its mount and pid namespaces not both other than
 * the host's, its cgroup naming no container) other than exclude living
 * in the namespace; 0 when none is. A pass over /proc of its own, one
 * link read per process: no table is kept. */
pid_t resident_host(int slot, uint32_t inum, pid_t exclude);
void residents_free(void);

#endif
