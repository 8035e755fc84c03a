/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/activity.h
 *
 * What a join is: its direction (which side of the host's namespaces the
 * caller was on and where it went) and its activity (an exec by a
 * container runtime, a container starting, runtime plumbing, an escape...),
 * from facts about the caller and the namespace's resident.
 */
#ifndef SETNS_ACTIVITY_H
#define SETNS_ACTIVITY_H

#include <stdbool.h>

/* Weakest first: a group is named after its strongest join. */
enum direction { DIR_SAME, DIR_UNKNOWN, DIR_C2C, DIR_H2C, DIR_C2H, DIR_NONE };
extern const char *const direction_names[DIR_NONE + 1];

enum activity {
  ACT_EXEC,     /* a container runtime joins a running container */
  ACT_ENTER,    /* any other host process joins another namespace */
  ACT_START,    /* a container's process joins what was prepared for it */
  ACT_PLUMBING, /* runtime helpers stepping into a container and back */
  ACT_ESCAPE,   /* from a container into the host's namespaces */
  ACT_LATERAL,  /* from a container into another, not of its pod */
  ACT_RETURN,   /* a host process back into the host's, or where it is */
  ACT_FAILED,   /* a failed call: last, settings.c lists those before */
  ACT_COUNT,
};
extern const char *const activity_names[ACT_COUNT];
int activity_parse(const char *name, enum activity *out);

/* What a process's executable (or, without one, its comm) says it is: a
 * helper (CNI plugins, network helpers), an OCI runtime or lxc-attach, or
 * a container engine (podman, conmon, containerd and its shims, dockerd,
 * crio, kubelet, LXC's monitor). */
enum role { ROLE_OTHER, ROLE_HELPER, ROLE_RUNTIME, ROLE_ENGINE };

/* The role of a process by its executable's file name and its comm; with
 * runtime set to the name matched ("runc"). A name is a claim anyone can
 * make by naming a file: a role alone never makes a join quiet (see
 * join_activity and docs/containers.md). */
enum role process_role(const char *exe, const char *comm, const char **name);

/* The facts a join's activity is judged on. */
struct join_facts {
  enum direction dir;           /* of the join naming the notification */
  bool caller_in_container;     /* before its first call */
  bool caller_from_host; /* in the host's mount and pid namespaces before */
  const char *caller_container; /* container id, "" when none */
  const char *caller_pod;       /* pod id, "" when none */
  enum role caller_role;
  /* An ancestor's executable, as the kernel named it at the call, is an
   * engine or a runtime: a container engine started the caller. */
  bool engine_ancestor;
  bool round_trip;   /* the group went back to every namespace it left */
  bool target_found; /* a process lives in the namespace */
  const char *target_container;
  const char *target_pod;
  bool joined_mnt_or_pid; /* the group joined a mount or pid namespace */
};

enum activity join_activity(const struct join_facts *f);

#endif
