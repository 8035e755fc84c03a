/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/names.c
 *
 * The names the plugin dispatches under: namespace types as type_instance
 * of "operations", errno values as type_instance of "errors"; and the
 * escaping of strings a process chooses.
 */
#define _GNU_SOURCE /* strerrorname_np */

#include "names.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
  const char *name;
  unsigned int flag;
  const char *flag_name;
} ns_types[SETNS_NS_TYPES] = {
#define NS_TYPE(slot, name, flag, flag_name) [slot] = {name, flag, flag_name},
    SETNS_NS_TABLE(NS_TYPE)
#undef NS_TYPE
};

const char *ns_slot_name(unsigned int slot) {
  return slot < SETNS_NS_TYPES ? ns_types[slot].name : NULL;
}

unsigned int ns_slot_flag(unsigned int slot) {
  return slot < SETNS_NS_TYPES ? ns_types[slot].flag : 0;
}

int ns_name_slot(const char *name) {
  for (int slot = 0; slot < SETNS_NS_TYPES; slot++)
    if (strcasecmp(ns_types[slot].name, name) == 0)
      return slot;
  return -1;
}

void errno_name(int err, char *buf, size_t size) {
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

void list_append(char *list, size_t size, const char *item) {
  size_t used = strlen(list);

  snprintf(list + used, size - used, "%s%s", used ? "," : "", item);
}

void choices_list(const char *const *names, size_t num, char *buf,
                  size_t size) {
  size_t used = 0;

  buf[0] = '\0';
  for (size_t i = 0; i < num && used < size; i++)
    used += (size_t)snprintf(buf + used, size - used, "%s\"%s\"", i ? ", " : "",
                             names[i]);
}

void ns_names(const char *names[SETNS_NS_TYPES]) {
  for (int slot = 0; slot < SETNS_NS_TYPES; slot++)
    names[slot] = ns_types[slot].name;
}

/* Escapes every byte outside printable ASCII, a backslash, and the bytes
 * of also. */
static void escape_bytes(const char *in, size_t len, char *out, size_t size,
                         const char *also) {
  size_t used = 0;

  for (size_t i = 0; i < len && in[i] != '\0'; i++) {
    unsigned char c = (unsigned char)in[i];
    char esc[5] = {(char)c, '\0'};

    if (c == '\\')
      snprintf(esc, sizeof(esc), "\\\\");
    else if (c < 0x20 || c > 0x7e || strchr(also, c))
      snprintf(esc, sizeof(esc), "\\x%02x", c);
    if (used + strlen(esc) >= size)
      break;
    memcpy(out + used, esc, strlen(esc));
    used += strlen(esc);
  }
  out[used] = '\0';
}

void escape_text(const char *in, size_t len, char *out, size_t size) {
  escape_bytes(in, len, out, size, "");
}

void escape_item(const char *in, size_t len, char *out, size_t size) {
  escape_bytes(in, len, out, size, ",[]");
}

/* At most max bytes of the start of an escaped string, then "...": for
 * names and command lines, whose start tells most. The cut falls between
 * escapes ("\\" is 2 bytes, "\xNN" 4), never inside one. */
const char *escaped_head(const char *in, size_t max, char *buf, size_t size) {
  size_t len = strlen(in), cut = 0, step;

  if (len <= max)
    return in;
  for (; cut < len; cut += step) {
    step = in[cut] != '\\' ? 1 : in[cut + 1] == 'x' ? 4 : 2;
    if (cut + step > max)
      break;
  }
  snprintf(buf, size, "%.*s...", (int)cut, in);
  return buf;
}

/* At most max bytes of the end of an escaped string, after "...": what
 * tells most of a path is its end (the program's name, a container's
 * scope). The cut falls between escapes, never inside one. */
const char *escaped_tail(const char *in, size_t max, char *buf, size_t size) {
  size_t len = strlen(in), i = 0;

  if (len <= max)
    return in;
  while (i < len - max)
    i += in[i] != '\\' ? 1 : in[i + 1] == 'x' ? 4 : 2;
  snprintf(buf, size, "...%s", in + (i < len ? i : len));
  return buf;
}

/* Only [A-Za-z0-9_-], so that a comm can never add a level to a Graphite
 * path or a directory to the csv plugin's tree. */
void sanitize_instance(const char *in, size_t len, char *out, size_t size) {
  size_t i = 0;

  for (; i < len && in[i] != '\0' && i + 1 < size; i++) {
    unsigned char c = (unsigned char)in[i];

    out[i] = (isalnum(c) && c < 0x80) || c == '-' || c == '_' ? (char)c : '_';
  }
  if (i == 0 && size > 1)
    out[i++] = '_';
  out[i] = '\0';
}

/* The last run of exactly CONTAINER_ID_LEN hex digits that fills a path
 * component or is bounded by '-', '.', ':' or '/'. That covers docker
 * (/docker/ID, docker-ID.scope), containerd (cri-containerd-ID.scope),
 * cri-o (crio-ID.scope), podman (libpod-ID.scope) and kubepods
 * (/kubepods/.../podUID/ID) alike; the runtimes' monitor scopes
 * (crio-conmon-ID, libpod-conmon-ID) are not containers. */
static bool container_hex_id(const char *path, char *out, size_t size) {
  static const char conmon[] = "conmon-";
  const size_t conmon_len = sizeof(conmon) - 1;
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
    if (run == CONTAINER_ID_LEN && bounded &&
        !((size_t)(start - path) >= conmon_len &&
          strncmp(start - conmon_len, conmon, conmon_len) == 0))
      found = start;
    run = 0;
    if (*p == '\0')
      break;
  }
  if (found == NULL || size <= CONTAINER_ID_LEN)
    return false;
  memcpy(out, found, CONTAINER_ID_LEN);
  out[CONTAINER_ID_LEN] = '\0';
  return true;
}

/* A container's name, as LXC and systemd-nspawn put it in a cgroup: a
 * whole path component made of prefix, the name and suffix. The name is 1
 * to CONTAINER_ID_LEN of [A-Za-z0-9_.-] (systemd writes a '-' in a unit
 * name as "\x2d"); anything else is no name. The last such component. */
static bool container_name_after(const char *path, const char *prefix,
                                 const char *suffix, char *out, size_t size) {
  size_t plen = strlen(prefix), slen = strlen(suffix);
  bool found = false;

  for (const char *p = path; (p = strstr(p, prefix)) != NULL; p++) {
    const char *q = p + plen, *end = q + strcspn(q, "/");
    char name[CONTAINER_ID_LEN + 1];
    size_t n = 0;

    if ((p != path && p[-1] != '/') || (size_t)(end - q) <= slen ||
        strncmp(end - slen, suffix, slen) != 0)
      continue;
    for (end -= slen; q < end && n < CONTAINER_ID_LEN; n++) {
      unsigned char c = (unsigned char)*q;

      if (end - q >= 4 && strncmp(q, "\\x2d", 4) == 0) {
        name[n] = '-';
        q += 4;
      } else if ((c < 0x80 && isalnum(c)) || c == '_' || c == '.' || c == '-') {
        name[n] = *q++;
      } else {
        break;
      }
    }
    if (q != end || n == 0 || size <= n)
      continue;
    memcpy(out, name, n);
    out[n] = '\0';
    found = true;
  }
  return found;
}

/* A container by id, or by name where the runtime names its cgroup so:
 * LXC (lxc.payload.NAME in the unified layout, lxc.payload/NAME in the
 * legacy one) and systemd-nspawn registered with machined
 * (machine.slice/machine-NAME.scope). LXC's monitor (lxc.monitor.NAME) is
 * not in its container. */
bool container_id(const char *path, char *out, size_t size) {
  if (container_hex_id(path, out, size))
    return true;
  out[0] = '\0';
  if (container_name_after(path, "lxc.payload.", "", out, size) ||
      container_name_after(path, "lxc.payload/", "", out, size) ||
      container_name_after(path, "machine.slice/machine-", ".scope", out, size))
    return true;
  out[0] = '\0';
  return false;
}

int container_id_shown(const char *id) {
  size_t len = strlen(id);

  return len == CONTAINER_ID_LEN &&
                 strspn(id, "0123456789abcdefABCDEF") == CONTAINER_ID_LEN
             ? CONTAINER_ID_SHORT
             : (int)len;
}

void types_list(unsigned int flags, char *buf, size_t size) {
  size_t used = 0;

  buf[0] = '\0';
  for (int slot = 0; slot < SETNS_NS_TYPES && used < size; slot++)
    if (flags & ns_types[slot].flag)
      used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "," : "",
                               ns_types[slot].name);
}

void nstype_name(int nstype, char *buf, size_t size) {
  unsigned int rest = (unsigned int)nstype;
  size_t used = 0;

  snprintf(buf, size, "0");
  for (int slot = 0; slot < SETNS_NS_TYPES && used < size; slot++) {
    if (!(rest & ns_types[slot].flag))
      continue;
    rest &= ~ns_types[slot].flag;
    used += (size_t)snprintf(buf + used, size - used, "%s%s", used ? "|" : "",
                             ns_types[slot].flag_name);
  }
  if (rest != 0 && used < size)
    snprintf(buf + used, size - used, "%s%#x", used ? "|" : "", rest);
}

/* A Kubernetes pod UID after "pod" at p: 36 characters of hex and '-'
 * (cgroupfs) or '_' (systemd slices), written with '-'. */
static bool pod_uid_at(const char *p, char *out, size_t size) {
  static const size_t uid_len = 36;
  size_t i = 0;

  for (; i < uid_len; i++)
    if (!isxdigit((unsigned char)p[i]) && p[i] != '-' && p[i] != '_')
      return false;
  if (p[i] != '/' && p[i] != '.' && p[i] != '\0')
    return false;
  if (size <= uid_len)
    return false;
  for (i = 0; i < uid_len; i++)
    out[i] = p[i] == '_' ? '-' : (char)tolower((unsigned char)p[i]);
  out[uid_len] = '\0';
  return true;
}

/* podman's pod id at p: 64 hex digits. */
static bool podman_pod_at(const char *p, char *out, size_t size) {
  size_t i = 0;

  while (isxdigit((unsigned char)p[i]))
    i++;
  if (i != CONTAINER_ID_LEN || size <= i)
    return false;
  memcpy(out, p, i);
  out[i] = '\0';
  return true;
}

bool pod_id(const char *path, char *out, size_t size) {
  static const char podman[] = "libpod_pod_", podman_fs[] = "libpod_parent/";
  const char *p;

  out[0] = '\0';
  if ((p = strstr(path, podman)) != NULL)
    return podman_pod_at(p + sizeof(podman) - 1, out, size);
  /* podman's cgroupfs driver: libpod_parent/POD/libpod-CONTAINER */
  if ((p = strstr(path, podman_fs)) != NULL &&
      podman_pod_at(p + sizeof(podman_fs) - 1, out, size) &&
      p[sizeof(podman_fs) - 1 + CONTAINER_ID_LEN] == '/')
    return true;
  out[0] = '\0';
  if (strstr(path, "kubepods") == NULL)
    return false;
  for (p = path; (p = strstr(p, "pod")) != NULL; p++)
    if (p > path && (p[-1] == '/' || p[-1] == '-') &&
        pod_uid_at(p + 3, out, size))
      return true;
  return false;
}
