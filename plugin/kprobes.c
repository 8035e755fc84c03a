/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/kprobes.c
 *
 * A kretprobe keeps one instance per thread inside the probed function at
 * once; the kprobe PMU (libbpf's ksyscall) gives it 2 × CPUs, so on a busy
 * host the returns of threads sleeping in setns beyond that are dropped,
 * uncounted, and nothing says so. A tracefs kprobe event takes maxactive
 * ("r4096:...") and its misses show in kprobe_profile: the plugin makes
 * its probes that way, named after collectd's pid, and removes them at
 * shutdown (and those of a collectd that died without doing so).
 */
#include "kprobes.h"
#include "base.h"

#include <bpf/libbpf.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#define GROUP "setns_collectd"
#define MAXACTIVE 4096 /* the kernel's KRETPROBE_MAXACTIVE_MAX */
#define PROBES_MAX 4   /* entry and return, native and ia32 */

static struct {
  struct bpf_link *link;
  const struct bpf_program *prog;
  char event[64];
} probes[PROBES_MAX];
static int nprobes;

static int kprobe_events_write(const char *line) {
  int fd = open(TRACEFS "/kprobe_events", O_WRONLY | O_APPEND | O_CLOEXEC);
  int err = 0;

  if (fd < 0)
    return -errno;
  if (write(fd, line, strlen(line)) < 0)
    err = -errno;
  close(fd);
  return err;
}

/* Removes the events of collectds that are gone: a probe left behind
 * would go on firing for nobody. */
static void remove_stale(void) {
  char line[512], stale[8][128], del[160];
  FILE *fh = fopen(TRACEFS "/kprobe_events", "r");
  int n = 0, pid;

  while (fh != NULL && n < 8 && fgets(line, sizeof(line), fh) != NULL)
    if (sscanf(line, "%*[pr0-9]:" GROUP "/%127s", stale[n]) == 1 &&
        sscanf(stale[n], "setns_%d_", &pid) == 1 && kill(pid, 0) != 0 &&
        errno == ESRCH)
      n++;
  if (fh != NULL)
    fclose(fh);
  for (int i = 0; i < n; i++) {
    snprintf(del, sizeof(del), "-:" GROUP "/%s\n", stale[i]);
    kprobe_events_write(del);
  }
}

static int event_id(const char *event) {
  char path[256], buf[32] = "";
  FILE *fh;

  snprintf(path, sizeof(path), TRACEFS "/events/" GROUP "/%s/id", event);
  if ((fh = fopen(path, "r")) == NULL)
    return -errno;
  if (fgets(buf, sizeof(buf), fh) == NULL)
    buf[0] = '\0';
  fclose(fh);
  return buf[0] ? atoi(buf) : -EINVAL;
}

static int perf_open(int id) {
  struct perf_event_attr attr = {.type = PERF_TYPE_TRACEPOINT,
                                 .size = sizeof(attr),
                                 .config = (uint64_t)id,
                                 .sample_period = 1,
                                 .wakeup_events = 1};
  int fd =
      (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);

  return fd < 0 ? -errno : fd;
}

/* The perf event of probe i, with its program on it. */
static int probe_link(int i) {
  int id = event_id(probes[i].event), fd, err;

  if (id < 0)
    return id;
  if ((fd = perf_open(id)) < 0)
    return fd;
  probes[i].link = bpf_program__attach_perf_event(probes[i].prog, fd);
  if (probes[i].link == NULL) {
    err = -errno;
    close(fd);
    return err;
  }
  return 0;
}

int kprobes_attach(struct bpf_program *prog, const char *func, bool ret) {
  char *event, line[256];
  int err;

  if (nprobes == PROBES_MAX)
    return -E2BIG;
  if (nprobes == 0)
    remove_stale();
  event = probes[nprobes].event;
  snprintf(event, sizeof(probes[0].event), "setns_%d_%d", (int)getpid(),
           nprobes);
  if (ret)
    snprintf(line, sizeof(line), "r%d:" GROUP "/%s %s\n", MAXACTIVE, event,
             func);
  else
    snprintf(line, sizeof(line), "p:" GROUP "/%s %s\n", event, func);
  if ((err = kprobe_events_write(line)) != 0)
    return err;
  probes[nprobes].prog = prog;
  nprobes++; /* removed by kprobes_detach from here on */
  return probe_link(nprobes - 1);
}

int kprobes_link(const struct bpf_program *prog, bool on) {
  int err = 0;

  for (int i = 0; i < nprobes; i++) {
    if (probes[i].prog != prog || (probes[i].link != NULL) == on)
      continue;
    if (on) {
      err = err ?: probe_link(i);
    } else {
      bpf_link__destroy(probes[i].link); /* the probe itself stays */
      probes[i].link = NULL;
    }
  }
  return err;
}

void kprobes_detach(void) {
  char line[128];

  for (int i = 0; i < nprobes; i++) {
    bpf_link__destroy(probes[i].link); /* closes the perf event too */
    probes[i].link = NULL;
    snprintf(line, sizeof(line), "-:" GROUP "/%s\n", probes[i].event);
    kprobe_events_write(line);
  }
  nprobes = 0;
}

uint64_t kprobes_missed(void) {
  char line[512], name[128];
  unsigned long long hits, missed;
  uint64_t sum = 0;
  FILE *fh;

  if (nprobes == 0 || (fh = fopen(TRACEFS "/kprobe_profile", "r")) == NULL)
    return 0;
  while (fgets(line, sizeof(line), fh) != NULL) {
    if (sscanf(line, "%127s %llu %llu", name, &hits, &missed) != 3)
      continue;
    for (int i = 0; i < nprobes; i++)
      if (strcmp(name, probes[i].event) == 0)
        sum += missed;
  }
  fclose(fh);
  return sum;
}
