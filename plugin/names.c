/**
 * setns-collectd - plugin/names.c
 *
 * The names the plugin dispatches under: namespace types as type_instance
 * of "operations", errno values as type_instance of "errors". Part of the
 * setns.c translation unit (see there), so everything here is static.
 */

#include "setns.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Indexed by the BPF program's slots; the names of /proc/PID/ns/ entries,
 * except "mnt" for CLONE_NEWNS, which is what every user knows it by. */
static const struct {
  const char *name;
  unsigned int flag;
} ns_types[SETNS_NS_TYPES] = {
    [SETNS_SLOT_NET] = {"net", SETNS_CLONE_NEWNET},
    [SETNS_SLOT_MNT] = {"mnt", SETNS_CLONE_NEWNS},
    [SETNS_SLOT_PID] = {"pid", SETNS_CLONE_NEWPID},
    [SETNS_SLOT_UTS] = {"uts", SETNS_CLONE_NEWUTS},
    [SETNS_SLOT_IPC] = {"ipc", SETNS_CLONE_NEWIPC},
    [SETNS_SLOT_USER] = {"user", SETNS_CLONE_NEWUSER},
    [SETNS_SLOT_CGROUP] = {"cgroup", SETNS_CLONE_NEWCGROUP},
    [SETNS_SLOT_TIME] = {"time", SETNS_CLONE_NEWTIME},
};

/* The type_instance of a namespace slot, NULL for a slot that is none. */
static const char *ns_slot_name(unsigned int slot) {
  return slot < SETNS_NS_TYPES ? ns_types[slot].name : NULL;
}

/* Lowercase errno name ("eperm"), or "errno<N>" for one libc cannot name.
 * Always a valid type_instance: [a-z0-9] only. */
static void errno_name(int err, char *buf, size_t size) {
  const char *name = NULL;

#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 32)
  name = strerrorname_np(err);
#endif
  if (name == NULL || err <= 0) {
    snprintf(buf, size, "errno%d", err);
    return;
  }
  size_t i = 0;
  for (; name[i] != '\0' && i + 1 < size; i++)
    buf[i] = (char)tolower((unsigned char)name[i]);
  buf[i] = '\0';
}
