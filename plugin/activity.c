/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/activity.c
 *
 * The rules that tell an exec from a container start, plumbing, an escape
 * or lateral movement (see activity.h and docs/containers.md).
 */
#include "activity.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

const char *const direction_names[DIR_NONE + 1] = {
    [DIR_SAME] = "same",
    [DIR_UNKNOWN] = "unknown",
    [DIR_C2C] = "container_to_container",
    [DIR_H2C] = "host_to_container",
    [DIR_C2H] = "container_to_host",
    [DIR_NONE] = "none",
};

const char *const activity_names[ACT_COUNT] = {
    [ACT_EXEC] = "exec",     [ACT_ENTER] = "enter",
    [ACT_START] = "start",   [ACT_PLUMBING] = "plumbing",
    [ACT_ESCAPE] = "escape", [ACT_LATERAL] = "lateral",
    [ACT_RETURN] = "return", [ACT_FAILED] = "failed",
};

/* OCI runtimes, which create containers and exec into them, and LXC's
 * exec. */
static const char *const runtimes[] = {"runc", "crun", "youki", "runsc",
                                       "lxc-attach"};

/* Container engines, monitors and shims (longer names before their
 * prefixes): they start runtimes and helpers, and step into a container's
 * namespaces and back themselves. */
static const char *const engines[] = {
    "podman",       "conmon",   "containerd-shim", "containerd",
    "dockerd",      "crio",     "kubelet",         "lxc-start",
    "lxc-monitord", "lxc-stop", "lxc-destroy"};

/* What else an engine runs that steps into a container's namespaces:
 * network helpers, CNI plugins. */
static const char *const helpers[] = {
    "docker-proxy", "catatonit", "libnetwork-setkey",
    /* network helpers */
    "netavark", "aardvark-dns", "slirp4netns", "pasta", "rootlessport",
    /* CNI plugins */
    "bridge", "loopback", "host-local", "portmap", "tuning", "firewall",
    "bandwidth", "macvlan", "ipvlan", "ptp", "vlan", "host-device", "dhcp",
    "static", "sbr", "vrf", "dnsname", "flannel", "calico", "calico-ipam",
    "cilium-cni", "weave-net", "multus"};

int activity_parse(const char *name, enum activity *out) {
  for (int i = 0; i < ACT_COUNT; i++)
    if (strcasecmp(name, activity_names[i]) == 0) {
      *out = (enum activity)i;
      return 0;
    }
  return -1;
}

/* name is known, or is it with what runtimes add: runc's comms
 * ("runc:[1:CHILD]"), its memfd copy of itself ("memfd:runc_cloned:..."),
 * a shim's version ("containerd-shim-runc-v2"). */
static bool name_is(const char *name, const char *known) {
  size_t len = strlen(known);

  if (strncmp(name, "memfd:", 6) == 0)
    name += 6;
  if (strncmp(name, known, len) != 0)
    return false;
  return name[len] == '\0' || name[len] == ':' || name[len] == '_' ||
         name[len] == '-';
}

static const char *name_in(const char *name, const char *const *list,
                           size_t num) {
  for (size_t i = 0; i < num && name && name[0]; i++)
    if (name_is(name, list[i]))
      return list[i];
  return NULL;
}

enum role process_role(const char *exe, const char *comm, const char **name) {
  const char *found;
  /* The executable's name when the kernel gave one: a comm is whatever the
   * process sets with prctl(PR_SET_NAME). */
  const char *who = exe && exe[0] ? exe : comm;

  *name = "";
  if ((found = name_in(who, runtimes, sizeof(runtimes) / sizeof(*runtimes)))) {
    *name = found;
    return ROLE_RUNTIME;
  }
  if ((found = name_in(who, engines, sizeof(engines) / sizeof(*engines)))) {
    *name = found;
    return ROLE_ENGINE;
  }
  if ((found = name_in(who, helpers, sizeof(helpers) / sizeof(*helpers)))) {
    *name = found;
    return ROLE_HELPER;
  }
  return ROLE_OTHER;
}

static bool same_id(const char *a, const char *b) {
  return a && b && a[0] && strcmp(a, b) == 0;
}

/* lxc-attach moves itself into its container's cgroup before it joins: a
 * runtime in a container's cgroup but still in the host's mount and pid
 * namespaces, joining its own container's mount or pid namespace where a
 * process lives, is an exec. A runtime starting a container joins what
 * was prepared for it, or its pod's, never its own container's running
 * mount or pid namespace. */
static bool attach_exec(const struct join_facts *f) {
  return f->caller_role == ROLE_RUNTIME && f->caller_from_host &&
         f->dir == DIR_C2C && f->target_found && f->joined_mnt_or_pid &&
         same_id(f->caller_container, f->target_container);
}

/* A caller inside a container: joining what nobody lives in yet, its own
 * container or its pod is a start (the container's own first process may
 * be living there by the time the plugin looks); anything else is
 * lateral. */
static enum activity from_container(const struct join_facts *f) {
  if (attach_exec(f))
    return ACT_EXEC;
  if (f->dir == DIR_SAME || !f->target_found ||
      same_id(f->caller_container, f->target_container) ||
      same_id(f->caller_pod, f->target_pod))
    return ACT_START;
  return ACT_LATERAL;
}

/* Plumbing is quiet, so a name is not enough: a file can be given any
 * name. A runtime or helper is plumbing when an engine or runtime started
 * it, as the kernel named their executables at the call (a renamed tool
 * run from a shell has a shell above it); an engine, which nothing above
 * it vouches for (conmon and LXC's monitor are daemons), when it steps in
 * and back, as engines do. Anything else is a person entering. */
static bool plumbing(const struct join_facts *f) {
  switch (f->caller_role) {
  case ROLE_RUNTIME:
  case ROLE_HELPER:
    return f->engine_ancestor;
  case ROLE_ENGINE:
    return f->engine_ancestor || f->round_trip;
  default:
    return false;
  }
}

/* A caller on the host: back into the host's namespaces, or into the one
 * it is in, changes nothing. A runtime joining namespaces someone lives in
 * is an exec (into a container whatever its cgroup is called: runc alone
 * names it as it is told). So is one joining a mount or pid namespace even
 * when the lookup of who lives there comes too late: nobody prepares
 * those for a runtime, as podman and CNI prepare network namespaces. */
static enum activity from_host(const struct join_facts *f) {
  if (f->dir == DIR_SAME)
    return ACT_RETURN;
  if (f->caller_role == ROLE_RUNTIME && f->dir == DIR_H2C &&
      (f->target_found || f->joined_mnt_or_pid))
    return ACT_EXEC;
  return plumbing(f) ? ACT_PLUMBING : ACT_ENTER;
}

enum activity join_activity(const struct join_facts *f) {
  if (f->dir == DIR_NONE)
    return ACT_FAILED;
  if (f->dir == DIR_C2H)
    return ACT_ESCAPE;
  return f->caller_in_container ? from_container(f) : from_host(f);
}
