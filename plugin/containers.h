/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/containers.h
 *
 * A container's names by its id, from the files its runtime keeps
 * (runtime.c parses them): looked up once per container and remembered,
 * so that a container removed before its join's notification is built is
 * still named by what its start showed.
 */
#ifndef SETNS_CONTAINERS_H
#define SETNS_CONTAINERS_H

#include "runtime.h"
#include "settings.h"

#include <stdbool.h>

/* Where to look, from the settings (ContainerNames, DockerDataRoot...). */
void containers_open(const struct settings *s);
/* Forgets every container. */
void containers_close(void);

/* The names of a container by the id its cgroup gave (names.c's
 * container_id): for 64 hex digits, what the runtimes' files say; for an
 * LXC or systemd-nspawn container, the name its cgroup has. false, with out
 * empty, when nothing names it (or ContainerNames is off). A miss reads
 * the files again, but not within a second of a look that found nothing. */
bool containers_names(const char *id, struct container_names *out);

#endif
