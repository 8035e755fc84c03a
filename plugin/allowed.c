/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/allowed.c
 *
 * Whether this collectd may load BPF programs at all (see allowed.h).
 */
#include "allowed.h"
#include "base.h"

#include <bpf/bpf.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

/* collectd's check_capability() answers "yes" when built without libcap,
 * so ask the kernel directly. */
static bool has_capability(int cap) {
  struct __user_cap_header_struct head = {.version =
                                              _LINUX_CAPABILITY_VERSION_3};
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {{0}};

  if (syscall(SYS_capget, &head, data) != 0)
    return true; /* cannot tell: let the kernel decide at load */
  return data[CAP_TO_INDEX(cap)].effective & CAP_TO_MASK(cap);
}

/* Tracing programs need CAP_SYS_ADMIN, or CAP_BPF with CAP_PERFMON: say so
 * once, instead of every mode failing with EPERM. */
int allowed_bpf(void) {
  int fd;

  if (!has_capability(CAP_SYS_ADMIN) &&
      !(has_capability(CAP_BPF) && has_capability(CAP_PERFMON))) {
    ERROR(PLUGIN_NAME " plugin: loading BPF programs needs root, or "
                      "CAP_BPF and CAP_PERFMON; collectd runs without them");
    return -1;
  }
  fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "setns_probe", 4, 4, 1, NULL);
  if (fd < 0) {
    ERROR(PLUGIN_NAME " plugin: the kernel refused BPF: %s (collectd must "
                      "run as root or with CAP_BPF and CAP_PERFMON)",
          STRERROR(-fd));
    return -1;
  }
  close(fd);
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    ERROR(PLUGIN_NAME " plugin: the kernel has no BTF at "
                      "/sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF): %s",
          STRERRNO);
    return -1;
  }
  return 0;
}
