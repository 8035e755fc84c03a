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
  const char *flag_name;
} ns_types[SETNS_NS_TYPES] = {
    [SETNS_SLOT_NET] = {"net", SETNS_CLONE_NEWNET, "CLONE_NEWNET"},
    [SETNS_SLOT_MNT] = {"mnt", SETNS_CLONE_NEWNS, "CLONE_NEWNS"},
    [SETNS_SLOT_PID] = {"pid", SETNS_CLONE_NEWPID, "CLONE_NEWPID"},
    [SETNS_SLOT_UTS] = {"uts", SETNS_CLONE_NEWUTS, "CLONE_NEWUTS"},
    [SETNS_SLOT_IPC] = {"ipc", SETNS_CLONE_NEWIPC, "CLONE_NEWIPC"},
    [SETNS_SLOT_USER] = {"user", SETNS_CLONE_NEWUSER, "CLONE_NEWUSER"},
    [SETNS_SLOT_CGROUP] = {"cgroup", SETNS_CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
    [SETNS_SLOT_TIME] = {"time", SETNS_CLONE_NEWTIME, "CLONE_NEWTIME"},
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

/* The slot of a type name as users write it in the config. */
static int ns_name_slot(const char *name) {
  for (int slot = 0; slot < SETNS_NS_TYPES; slot++)
    if (strcasecmp(ns_types[slot].name, name) == 0)
      return slot;
  return -1;
}

/* A kernel string (comm, a cgroup path) made safe for a log line or a
 * meta value: printable ASCII is kept, a backslash and every other byte
 * become \\ and \xNN. At most len bytes of in are read. */
static void escape_text(const char *in, size_t len, char *out, size_t size) {
  size_t used = 0;

  for (size_t i = 0; i < len && in[i] != '\0'; i++) {
    unsigned char c = (unsigned char)in[i];
    char esc[5] = {(char)c, '\0'};

    if (c == '\\')
      snprintf(esc, sizeof(esc), "\\\\");
    else if (c < 0x20 || c > 0x7e)
      snprintf(esc, sizeof(esc), "\\x%02x", c);
    if (used + strlen(esc) >= size)
      break;
    memcpy(out + used, esc, strlen(esc));
    used += strlen(esc);
  }
  out[used] = '\0';
}

/* A comm as a plugin_instance: [A-Za-z0-9_-] only, so that it can never add
 * a level to a Graphite path or a directory to the csv plugin's tree; every
 * other byte becomes '_', and an empty name "_". */
static void sanitize_instance(const char *in, size_t len, char *out,
                              size_t size) {
  size_t i = 0;

  for (; i < len && in[i] != '\0' && i + 1 < size; i++) {
    unsigned char c = (unsigned char)in[i];

    out[i] = (isalnum(c) && c < 0x80) || c == '-' || c == '_' ? (char)c : '_';
  }
  if (i == 0 && size > 1)
    out[i++] = '_';
  out[i] = '\0';
}

/* The container id in a cgroup path: the last run of exactly 64 hex digits
 * that fills a path component or is bounded by '-', '.', ':' or '/'. That
 * covers docker (/docker/ID, docker-ID.scope), containerd
 * (cri-containerd-ID.scope), cri-o (crio-ID.scope), podman
 * (libpod-ID.scope) and kubepods (/kubepods/.../podUID/ID) alike; the
 * runtimes' monitor scopes (crio-conmon-ID, libpod-conmon-ID) are not
 * containers. Returns false, with out empty, on the host. */
static bool container_id(const char *path, char *out, size_t size) {
  const char *found = NULL;
  size_t run = 0;

  out[0] = '\0';
  for (const char *p = path;; p++) {
    if (*p != '\0' && isxdigit((unsigned char)*p)) {
      run++;
      continue;
    }
    const char *start = p - run;
    bool bounded = (start == path || strchr("/-.:", start[-1])) &&
                   (*p == '\0' || strchr("/-.:", *p));
    if (run == 64 && bounded &&
        !(start - path >= 7 && strncmp(start - 7, "conmon-", 7) == 0))
      found = start;
    run = 0;
    if (*p == '\0')
      break;
  }
  if (found == NULL || size <= 64)
    return false;
  memcpy(out, found, 64);
  out[64] = '\0';
  return true;
}

/* "net,mnt" for a set of CLONE_NEW* flags, in slot order. */
static void types_list(unsigned int flags, char *buf, size_t size) {
  size_t used = 0;

  buf[0] = '\0';
  for (int slot = 0; slot < SETNS_NS_TYPES && used < size; slot++)
    if (flags & ns_types[slot].flag)
      used += snprintf(buf + used, size - used, "%s%s", used ? "," : "",
                       ns_types[slot].name);
}

/* The nstype argument as strace shows it: "0", "CLONE_NEWNET",
 * "CLONE_NEWNET|CLONE_NEWUTS", with unknown bits in hex. */
static void nstype_name(int nstype, char *buf, size_t size) {
  unsigned int rest = (unsigned int)nstype;
  size_t used = 0;

  snprintf(buf, size, "0");
  for (int slot = 0; slot < SETNS_NS_TYPES && used < size; slot++) {
    if (!(rest & ns_types[slot].flag))
      continue;
    rest &= ~ns_types[slot].flag;
    used += snprintf(buf + used, size - used, "%s%s", used ? "|" : "",
                     ns_types[slot].flag_name);
  }
  if (rest != 0 && used < size)
    snprintf(buf + used, size - used, "%s%#x", used ? "|" : "", rest);
}
