/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/compat.c
 *
 * Kernel features and their older equivalents (see compat.h).
 */
#include "compat.h"
#include "base.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define TP_SETNS "events/syscalls/sys_exit_setns"
#define EVENTS_RING_SIZE (512 * 1024)
#define ENTRIES_MAX 10240 /* threads inside setns at once */
#define PERF_PAGES 64     /* per CPU, for the perf buffer before Linux 5.8 */

static struct compat_features features;
static bool probed;

/* What the kernel's BTF says: parsed once, as it takes some milliseconds. */
static void probe_btf(void) {
  struct btf *btf = btf__load_vmlinux_btf();

  if (btf == NULL) {
    features.btf_error = errno ? errno : ENOENT;
    return;
  }
  features.wrapper_id =
      btf__find_by_name_kind(btf, SYSCALL_WRAPPER, BTF_KIND_FUNC);
  features.compat =
      btf__find_by_name_kind(btf, COMPAT_WITNESS, BTF_KIND_FUNC) > 0;
  btf__free(btf);
}

/* Whether this kernel will run a 32-bit syscall, asked of it in a child
 * (a child, as the x86 call may kill it):
 * x86-64's int 0x80 (getpid, 20 in the ia32 table), which a kernel without
 * 32-bit support (ia32_emulation=0, Linux 6.7+) refuses with SIGSEGV;
 * arm64's 32-bit personality, which the kernel refuses where no CPU runs
 * AArch32. A 64-bit process can make the x86 call too, so a kernel that
 * loads no 32-bit ELF but takes int 0x80 counts as running them. */
static void child_32bit(int out) {
#if defined(__x86_64__)
  struct sigaction dfl = {.sa_handler = SIG_DFL};
  long ret;

  /* the refusal kills the child quietly: no core, no handler of the
   * parent's (a sanitizer's would report it as a crash) */
  setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0});
  sigaction(SIGSEGV, &dfl, NULL);

  __asm__ volatile("int $0x80"
                   : "=a"(ret)
                   : "a"(20L)
                   : "memory", "r8", "r9", "r10", "r11");
  if (ret == (long)getpid() && write(out, "y", 1) == 1)
    _exit(0);
#else
  if (personality(PER_LINUX32) != -1 && write(out, "y", 1) == 1)
    _exit(0);
#endif
  _exit(1);
}

/* The child says yes through a pipe, not its exit status: collectd may
 * ignore SIGCHLD, and then no status is left to wait for. */
static bool probe_32bit_runs(void) {
  int fds[2];
  char yes = 0;
  ssize_t n;
  pid_t pid;

  if (pipe(fds) != 0)
    return true; /* cannot tell: as if they ran, which misses nothing */
  fcntl(fds[0], F_SETFD, FD_CLOEXEC); /* no other plugin's child gets them */
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  pid = fork();
  if (pid == 0) {
    close(fds[0]);
    child_32bit(fds[1]);
  }
  close(fds[1]);
  while ((n = read(fds[0], &yes, 1)) < 0 && errno == EINTR)
    ;
  close(fds[0]);
  if (pid > 0)
    waitpid(pid, NULL, 0); /* fails harmlessly where SIGCHLD is ignored */
  return pid < 0 || n < 0 || yes == 'y';
}

static void probe_compat(void) {
  if (!features.compat) {
    snprintf(features.compat_why, sizeof(features.compat_why),
             "the kernel has no 32-bit (" COMPAT_NAME ") syscalls");
    return;
  }
  features.compat = probe_32bit_runs();
  snprintf(features.compat_why, sizeof(features.compat_why),
           features.compat
               ? "32-bit (" COMPAT_NAME ") programs run here"
               : "no 32-bit (" COMPAT_NAME
                 ") program can run here: the kernel refused a 32-bit syscall");
}

static bool probe_task_storage(void) {
  return libbpf_probe_bpf_map_type(BPF_MAP_TYPE_TASK_STORAGE, NULL) > 0 &&
         libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE,
                                 BPF_FUNC_task_storage_get, NULL) > 0;
}

/* The kernel's build says PREEMPT_RT in its version string (uname -v). */
static bool probe_preempt_rt(void) {
  struct utsname u;

  return uname(&u) == 0 && strstr(u.version, "PREEMPT_RT") != NULL;
}

const struct compat_features *compat_features(void) {
  if (probed)
    return &features;
  probed = true;
  probe_btf();
  probe_compat();
  features.preempt_rt = probe_preempt_rt();
  if (getenv("SETNS_TEST_COMPAT") != NULL) {
    INFO(PLUGIN_NAME " plugin: SETNS_TEST_COMPAT: perf buffer, probe reads "
                     "and a hash, as before Linux 5.8");
    return &features;
  }
  features.ringbuf = libbpf_probe_bpf_map_type(BPF_MAP_TYPE_RINGBUF, NULL) > 0;
  features.btf_task =
      libbpf_probe_bpf_helper(BPF_PROG_TYPE_KPROBE,
                              BPF_FUNC_get_current_task_btf, NULL) > 0;
  features.task_storage = probe_task_storage();
  return &features;
}

/* A tiny fexit program on the syscall wrapper, loaded: its fd, or a
 * negative errno. */
static int fexit_ret0_load(const struct compat_features *f) {
  struct bpf_insn ret0[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
      {.code = BPF_JMP | BPF_EXIT},
  };
  LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FEXIT,
              .attach_btf_id = (__u32)f->wrapper_id);

  return bpf_prog_load(BPF_PROG_TYPE_TRACING, NULL, "GPL", ret0,
                       STATIC_ARRAY_SIZE(ret0), &opts);
}

/* The tiny fexit program loaded: the kernel's own answer to "can
 * fentry/fexit attach here", the same question the real load asks. */
bool compat_fexit_allowed(char *why, size_t size) {
  const struct compat_features *f = compat_features();
  int fd;

  if (f->btf_error != 0) {
    snprintf(why, size, "no kernel BTF: %s", STRERROR(f->btf_error));
    return false;
  }
  if (f->wrapper_id <= 0) {
    snprintf(why, size, "no BTF for " SYSCALL_WRAPPER);
    return false;
  }
  fd = fexit_ret0_load(f);
  if (fd < 0) {
    snprintf(why, size, "fexit load refused: %s", STRERROR(-fd));
    return false;
  }
  close(fd);
  return true;
}

/* The tiny fexit program attached, detached and attached again, for a
 * moment: Linux 5.10's first attach consumes a tracing program's target,
 * and the second fails (ENOENT). */
bool compat_tracing_reattach(void) {
  int fd = fexit_ret0_load(compat_features()), link = -1;
  bool ok = false;

  if (fd < 0)
    goto cleanup;
  if ((link = bpf_raw_tracepoint_open(NULL, fd)) < 0)
    goto cleanup;
  close(link);
  link = bpf_raw_tracepoint_open(NULL, fd);
  ok = link >= 0;
cleanup:
  if (link >= 0)
    close(link);
  if (fd >= 0)
    close(fd);
  return ok;
}

bool compat_kprobes(char *why, size_t size) {
  if (access("/sys/bus/event_source/devices/kprobe/type", F_OK) == 0)
    return true;
  snprintf(why, size, "kernel has no kprobes (CONFIG_KPROBES)");
  return false;
}

bool compat_exit_tracepoint(const char *dir) {
  char path[128];

  snprintf(path, sizeof(path), "%s/" TP_SETNS, dir);
  return access(path, F_OK) == 0;
}

/* The entry/exit pairing: task local storage, else a hash by thread id. */
static int entries_map(struct bpf_map *entries, bool notify) {
  if (features.task_storage)
    return 0;
  return bpf_map__set_type(entries, BPF_MAP_TYPE_HASH) ?:
         bpf_map__set_map_flags(entries, 0) ?:
         bpf_map__set_max_entries(entries, notify ? ENTRIES_MAX : 1);
}

int compat_prepare_maps(struct bpf_map *events, struct bpf_map *entries,
                        bool notify) {
  int err = 0;

  compat_features();
  if (notify && features.ringbuf)
    err = bpf_map__set_type(events, BPF_MAP_TYPE_RINGBUF) ?:
          bpf_map__set_key_size(events, 0) ?:
          bpf_map__set_value_size(events, 0) ?:
          bpf_map__set_max_entries(events, EVENTS_RING_SIZE);
  else if (!notify)
    err = bpf_map__set_max_entries(events, 1);
  return err ?: entries_map(entries, notify);
}

struct compat_buffer {
  struct ring_buffer *ring;
  struct perf_buffer *perf;
  compat_handler handle;
};

static int on_ring_event(void *ctx, void *data, size_t size) {
  struct compat_buffer *b = ctx;

  if (size >= sizeof(struct setns_event))
    b->handle(data);
  return 0;
}

static void on_perf_event(void *ctx, int cpu __attribute__((unused)),
                          void *data, __u32 size) {
  struct compat_buffer *b = ctx;
  struct setns_event e; /* perf samples are only 4-byte aligned */

  if (size < sizeof(e))
    return;
  memcpy(&e, data, sizeof(e));
  b->handle(&e);
}

struct compat_buffer *compat_buffer_new(struct bpf_map *events,
                                        compat_handler handle) {
  struct compat_buffer *b = calloc(1, sizeof(*b));
  int fd = bpf_map__fd(events);

  if (b == NULL)
    return NULL;
  b->handle = handle;
  if (bpf_map__type(events) == BPF_MAP_TYPE_RINGBUF)
    b->ring = ring_buffer__new(fd, on_ring_event, b, NULL);
  else
    b->perf = perf_buffer__new(fd, PERF_PAGES, on_perf_event, NULL, b, NULL);
  if (b->ring == NULL && b->perf == NULL) {
    int err = errno;

    free(b);
    errno = err;
    return NULL;
  }
  return b;
}

/* A ring buffer's poll returns after the first wakeup; consume takes what
 * came in meanwhile, so that one wakeup per WAKEUP_EVERY events suffices. */
int compat_buffer_poll(struct compat_buffer *b, int ms) {
  int err;

  if (b->perf != NULL)
    return perf_buffer__poll(b->perf, ms);
  err = ring_buffer__poll(b->ring, ms);
  return err >= 0 ? ring_buffer__consume(b->ring) : err;
}

void compat_buffer_free(struct compat_buffer *b) {
  if (b == NULL)
    return;
  ring_buffer__free(b->ring);
  perf_buffer__free(b->perf);
  free(b);
}
