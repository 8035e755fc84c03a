/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/attach.c
 *
 * Chooses how the BPF program hooks setns(2), loads it and attaches it.
 * Every mode is compiled into the skeleton; the ones not chosen are switched
 * off with bpf_program__set_autoload() before load.
 */
#include "attach.h"
#include "allowed.h"
#include "base.h"
#include "compat.h"
#include "kprobes.h"

#include "setns.h"
#include "setns.skel.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/mount.h>
#include <unistd.h>

#define DEBUGFS_TRACING "/sys/kernel/debug/tracing"

/* The kernel's ENOTSUPP is no user-space errno, so strerror() has no text
 * for it. It is how arm64 kernels before 6.4 (no ftrace direct calls)
 * refuse to attach fentry/fexit to a kernel function they let load. */
#define KERNEL_ENOTSUPP 524
#define BPF_STRERROR(err)                                                      \
  ((err) == KERNEL_ENOTSUPP ? "not supported by this kernel (ENOTSUPP)"        \
                            : STRERROR(err))

/* Why the mode attached was chosen, as the INFO line says it. */
static char reason[1200];

/* While "auto" tries a mode that may fail, libbpf's warnings about it are
 * expected and go to DEBUG: the chosen mode's INFO line says why it failed. */
static bool libbpf_quiet;

static int libbpf_log(enum libbpf_print_level level, const char *fmt,
                      va_list ap) {
  char msg[1024];
  int prio = LOG_DEBUG;

  if (level == LIBBPF_WARN && !libbpf_quiet)
    prio = LOG_WARNING;
  else if (level == LIBBPF_INFO)
    prio = LOG_INFO;
  vsnprintf(msg, sizeof(msg), fmt, ap);
  msg[strcspn(msg, "\n")] = '\0';
  plugin_log(prio, PLUGIN_NAME " plugin: libbpf: %s", msg);
  return 0;
}

/* What the kernel offers (compat.c), once the first mode is tried. */
static const struct compat_features *features;

static bool tracefs_ready(char *why, size_t size);

/* The probes are tracefs kprobe events (see kprobes.c). */
static bool kprobes_usable(char *why, size_t size) {
  if (!compat_kprobes(why, size) || !tracefs_ready(why, size))
    return false;
  if (access(TRACEFS "/kprobe_events", W_OK) != 0) {
    snprintf(why, size, "no " TRACEFS "/kprobe_events: %s", STRERRNO);
    return false;
  }
  return true;
}

/* tracefs at TRACEFS, mounted there as perf does when nobody has: it
 * changes nothing else. */
static bool tracefs_ready(char *why, size_t size) {
  if (access(TRACEFS "/events", F_OK) == 0)
    return true;
  if (mount("nodev", TRACEFS, "tracefs", 0, NULL) != 0) {
    snprintf(why, size,
             "tracefs not mounted and mounting it at " TRACEFS " failed: %s",
             STRERRNO);
    return false;
  }
  INFO(PLUGIN_NAME " plugin: mounted tracefs at " TRACEFS);
  return true;
}

/* libbpf finds tracepoint ids in tracefs. */
static bool tracepoint_find_mounting_tracefs(char *why, size_t size) {
  if (!compat_exit_tracepoint(DEBUGFS_TRACING) && !tracefs_ready(why, size))
    return false;
  if (compat_exit_tracepoint(DEBUGFS_TRACING) ||
      compat_exit_tracepoint(TRACEFS))
    return true;
  snprintf(why, size,
           "no syscalls:sys_exit_setns tracepoint "
           "(CONFIG_FTRACE_SYSCALLS)");
  return false;
}

static bool mode_available(enum attach_mode mode, char *why, size_t size) {
  switch (mode) {
  case MODE_FENTRY:
    return compat_fexit_allowed(why, size);
  case MODE_KPROBE:
    return kprobes_usable(why, size);
  case MODE_TRACEPOINT:
    return tracepoint_find_mounting_tracefs(why, size);
  default:
    return true; /* raw tracepoints need nothing but BPF itself */
  }
}

#define UIDS_BUDGETED 1024 /* uids with an event budget per interval */

enum abi { ABI_NATIVE, ABI_COMPAT, ABI_COUNT };

/* A mode's programs: the exit program (counts, events), the entry program
 * (notifications) and the counting program, the exit program's twin that
 * only counts, loaded in its place when nothing else is asked. */
enum role { ROLE_EXIT, ROLE_ENTRY, ROLE_COUNT, ROLE_MAX };

/* A mode's program of a role for the native or the 32-bit syscall; NULL
 * where one program sees both ABIs (raw_tracepoint) or none can see 32-bit
 * calls (tracepoint). The 32-bit fentry and kprobe programs are x86-64's,
 * for its ia32 wrapper. */
static struct bpf_program *mode_program(struct setns_bpf *skel,
                                        enum attach_mode mode, enum abi abi,
                                        enum role role) {
  struct bpf_program *progs[MODE_COUNT][ABI_COUNT][ROLE_MAX] = {
      [MODE_FENTRY] = {{skel->progs.fexit_setns, skel->progs.fentry_setns,
                        skel->progs.fexit_count},
                       {skel->progs.fexit_ia32, skel->progs.fentry_ia32,
                        skel->progs.fexit_ia32_count}},
      [MODE_KPROBE] = {{skel->progs.kretprobe_setns, skel->progs.kprobe_setns,
                        skel->progs.kretprobe_count},
                       {skel->progs.kretprobe_ia32, skel->progs.kprobe_ia32,
                        skel->progs.kretprobe_ia32_count}},
      [MODE_TRACEPOINT] = {{skel->progs.tp_exit_setns,
                            skel->progs.tp_enter_setns,
                            skel->progs.tp_count_setns}},
      [MODE_RAW_TRACEPOINT] = {{skel->progs.raw_tp_exit,
                                skel->progs.raw_tp_enter,
                                skel->progs.raw_tp_count}},
  };
  return progs[mode][abi][role];
}

/* Whether a program of role is loaded with these options. */
static bool role_wanted(enum role role, const struct attach_opts *opts) {
  bool counting_only = !opts->notify && !opts->by_process;

  if (role == ROLE_ENTRY)
    return opts->notify;
  return (role == ROLE_COUNT) == counting_only;
}

/* ExecSessions' maps, and its hooks, only with it: without, its ring
 * buffer is not even made (kernels before 5.8 have none). */
static int size_session_maps(struct setns_bpf *skel, bool on) {
  struct bpf_program *hooks[] = {skel->progs.session_on_fork,
                                 skel->progs.session_on_exec,
                                 skel->progs.session_on_exit};

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(hooks); i++)
    bpf_program__set_autoload(hooks[i], on);
  if (on)
    return 0;
  return bpf_map__set_autocreate(skel->maps.setns_session_events, false) ?:
         bpf_map__set_max_entries(skel->maps.setns_sessions, 1) ?:
         bpf_map__set_max_entries(skel->maps.setns_session_kept, 1) ?:
         bpf_map__set_max_entries(skel->maps.setns_session_pids, 1);
}

/* Maps are sized for what is on: a map that is not used gets one entry. */
static int size_maps(struct setns_bpf *skel, const struct attach_opts *opts) {
  return compat_prepare_maps(skel->maps.setns_events, skel->maps.setns_entries,
                             opts->notify) ?:
         size_session_maps(skel, opts->sessions) ?:
         bpf_map__set_max_entries(skel->maps.setns_uid_sent,
                                  opts->notify ? UIDS_BUDGETED : 1) ?:
         bpf_map__set_max_entries(skel->maps.setns_procs,
                                  opts->by_process ? SETNS_PROCS_MAX + 1 : 1);
}

/* Everything between open and load: the rodata, this mode's programs
 * only, their target, and the map sizes. */
static int prepare(struct setns_bpf *skel, enum attach_mode mode,
                   const struct attach_opts *opts) {
  int err = 0;

  skel->rodata->use_ringbuf = features->ringbuf;
  skel->rodata->btf_task = features->btf_task;
  skel->rodata->task_storage = features->task_storage;
  skel->rodata->notify = opts->notify;
  skel->rodata->by_process = opts->by_process;
  skel->rodata->notify_types = opts->types;
  skel->rodata->notify_failures = opts->failures;
  skel->rodata->uid_event_budget = opts->uid_event_budget;
  skel->rodata->sessions_on = opts->sessions;
  skel->rodata->session_commands = opts->session_commands;
  for (int m = 0; m < MODE_COUNT; m++)
    for (int abi = 0; abi < ABI_COUNT; abi++)
      for (int role = 0; role < ROLE_MAX; role++) {
        struct bpf_program *prog = mode_program(skel, m, abi, role);
        bool on = m == (int)mode &&
                  (abi == ABI_NATIVE || (features->compat && COMPAT_WRAPPER)) &&
                  role_wanted(role, opts);

        if (prog != NULL)
          bpf_program__set_autoload(prog, on);
        /* kprobes.c attaches the kprobe mode; entry_hooks the entries */
        if (prog != NULL && (m == MODE_KPROBE || role == ROLE_ENTRY))
          bpf_program__set_autoattach(prog, false);
        if (prog != NULL && on && mode == MODE_FENTRY)
          err = err
                    ?: bpf_program__set_attach_target(
                           prog, 0,
                           abi == ABI_COMPAT ? SYSCALL_WRAPPER_COMPAT
                                             : SYSCALL_WRAPPER);
      }
  return err ?: size_maps(skel, opts);
}

/* The kprobe mode's programs that are loaded, on their functions. */
static int attach_kprobes(struct setns_bpf *skel) {
  const char *funcs[ABI_COUNT] = {SYSCALL_WRAPPER, SYSCALL_WRAPPER_COMPAT};
  int err = 0;

  for (int abi = 0; abi < ABI_COUNT && err == 0; abi++)
    for (int role = 0; role < ROLE_MAX && err == 0; role++) {
      struct bpf_program *prog = mode_program(skel, MODE_KPROBE, abi, role);

      if (bpf_program__autoload(prog))
        err = kprobes_attach(prog, funcs[abi], role != ROLE_ENTRY);
    }
  return err;
}

/* The entry programs of the mode attached, which the event path detaches
 * while the kernel's events are paused. */
static struct {
  struct setns_bpf *skel;
  enum attach_mode mode;
  struct bpf_link *links[ABI_COUNT];
  /* Attached for good, where a detached fentry program cannot be
   * attached again (5.10): a flood then costs the entry hook too. */
  bool kept;
} entry;

int attach_entry_hooks(bool on) {
  int err = 0;

  for (int abi = 0; abi < ABI_COUNT && entry.skel != NULL; abi++) {
    struct bpf_program *prog = mode_program(entry.skel, entry.mode, abi, ROLE_ENTRY);
    struct bpf_link **link = &entry.links[abi];

    if (prog == NULL || !bpf_program__autoload(prog))
      continue;
    if (entry.mode == MODE_KPROBE) {
      err = kprobes_link(prog, on) ?: err;
    } else if (!on && entry.kept) {
      continue;
    } else if (!on) {
      bpf_link__destroy(*link);
      *link = NULL;
    } else if (*link == NULL && (*link = bpf_program__attach(prog)) == NULL) {
      err = -errno;
    }
  }
  return err;
}

/* The entry hooks off and forgotten, before the skeleton goes. */
static void entry_forget(void) {
  entry.kept = false;
  attach_entry_hooks(false);
  entry.skel = NULL;
}

/* open -> prepare -> load -> attach. */
static struct setns_bpf *attach_mode_try(enum attach_mode mode,
                                         const struct attach_opts *opts,
                                         char *why, size_t size) {
  struct setns_bpf *skel = setns_bpf__open();
  const char *step = "open";
  int err = skel == NULL ? -errno : 0;

  if (skel == NULL)
    goto cleanup;
  step = "prepare";
  if ((err = prepare(skel, mode, opts)) != 0)
    goto cleanup;
  step = "load";
  if ((err = setns_bpf__load(skel)) != 0)
    goto cleanup;
  step = "attach";
  if ((err = setns_bpf__attach(skel)) != 0 ||
      (mode == MODE_KPROBE && (err = attach_kprobes(skel)) != 0))
    goto cleanup;
  entry.skel = skel;
  entry.mode = mode;
  entry.kept = mode == MODE_FENTRY && opts->notify && !compat_tracing_reattach();
  if (entry.kept)
    INFO(PLUGIN_NAME " plugin: the fentry entry hooks stay attached through "
                     "floods: this kernel cannot attach a detached tracing "
                     "program again (as Linux 5.10 cannot)");
  if (opts->notify && (err = attach_entry_hooks(true)) != 0)
    goto cleanup;
  return skel;

cleanup:
  snprintf(why, size, "%s failed: %s", step, BPF_STRERROR(-err));
  entry_forget();
  kprobes_detach();
  setns_bpf__destroy(skel);
  return NULL;
}

/* Appends "MODE: WHY" to the list of modes "auto" passed over. */
static void note_skipped(char *list, size_t size, enum attach_mode mode,
                         const char *why) {
  size_t used = strlen(list);

  snprintf(list + used, size - used, "%s%s skipped: %s", used ? "; " : "",
           attach_mode_names[mode], why);
}

#define TP_MISSES_COMPAT                                                       \
  "syscall tracepoints miss 32-bit (" COMPAT_NAME ") callers"
#define FENTRY_PREEMPTIBLE                                                     \
  "PREEMPT_RT kernel: fentry programs run preemptible, and a join made "       \
  "while another is preempted inside one goes uncounted (runs_missed)"

/* Cheapest first; but where 32-bit programs run, a syscall tracepoint
 * would not see their calls, so raw_tracepoint, which does, comes first. */
static void auto_order(enum attach_mode order[MODE_COUNT]) {
  for (int m = 0; m < MODE_COUNT; m++)
    order[m] = (enum attach_mode)m;
  if (features->compat) {
    order[MODE_TRACEPOINT] = MODE_RAW_TRACEPOINT;
    order[MODE_RAW_TRACEPOINT] = MODE_TRACEPOINT;
  }
}

static struct setns_bpf *attach_auto(const struct attach_opts *opts,
                                     enum attach_mode *chosen) {
  char skipped[1024] = "", why[256];
  struct setns_bpf *skel = NULL;
  enum attach_mode order[MODE_COUNT];

  auto_order(order);
  libbpf_quiet = true;
  for (int i = 0; i < MODE_COUNT && skel == NULL; i++) {
    enum attach_mode m = order[i];

    if (m == MODE_FENTRY && features->preempt_rt)
      snprintf(why, sizeof(why), FENTRY_PREEMPTIBLE);
    else if (mode_available(m, why, sizeof(why)))
      skel = attach_mode_try(m, opts, why, sizeof(why));
    if (skel != NULL)
      *chosen = m;
    else
      note_skipped(skipped, sizeof(skipped), m, why);
  }
  libbpf_quiet = false;
  if (skel != NULL && *chosen == MODE_RAW_TRACEPOINT && features->compat)
    note_skipped(skipped, sizeof(skipped), MODE_TRACEPOINT, TP_MISSES_COMPAT);
  if (skel == NULL)
    ERROR(PLUGIN_NAME " plugin: no attach mode works on this kernel: %s",
          skipped);
  else
    snprintf(reason, sizeof(reason), "auto; %s%s%s", skipped,
             skipped[0] ? "; " : "", features->compat_why);
  if (skel != NULL)
    INFO(PLUGIN_NAME " plugin: attached in %s mode (%s)",
         attach_mode_names[*chosen], reason);
  return skel;
}

static struct setns_bpf *attach_explicit(const struct attach_opts *opts,
                                         enum attach_mode mode) {
  char why[256];
  struct setns_bpf *skel = NULL;

  if (mode_available(mode, why, sizeof(why)))
    skel = attach_mode_try(mode, opts, why, sizeof(why));
  if (skel == NULL) {
    ERROR(PLUGIN_NAME " plugin: AttachMode \"%s\" cannot attach: %s",
          attach_mode_names[mode], why);
    return NULL;
  }
  snprintf(reason, sizeof(reason), "AttachMode");
  INFO(PLUGIN_NAME " plugin: attached in %s mode (%s)", attach_mode_names[mode],
       reason);
  if (mode == MODE_FENTRY && features->preempt_rt)
    WARNING(PLUGIN_NAME " plugin: AttachMode \"fentry\": " FENTRY_PREEMPTIBLE
                        "; \"auto\" takes kprobe or a tracepoint");
  if (mode == MODE_TRACEPOINT && features->compat)
    WARNING(PLUGIN_NAME " plugin: AttachMode \"tracepoint\": " TP_MISSES_COMPAT
                        ": their setns calls are neither counted nor "
                        "notified; \"raw_tracepoint\" and \"auto\" see "
                        "them");
  return skel;
}

struct setns_bpf *attach_program(enum attach_mode want,
                                 const struct attach_opts *opts,
                                 enum attach_mode *chosen) {
  libbpf_set_print(libbpf_log);
  if (allowed_bpf() != 0)
    return NULL;
  features = compat_features(); /* once, before any mode is tried */
  if (opts->sessions && !features->ringbuf) {
    ERROR(PLUGIN_NAME " plugin: ExecSessions: the kernel has no BPF ring "
                      "buffer (Linux 5.8+)");
    return NULL;
  }
  if (want == MODE_AUTO)
    return attach_auto(opts, chosen);
  *chosen = want;
  return attach_explicit(opts, want);
}

const char *attach_reason(void) { return reason; }

void attach_close(struct setns_bpf *skel) {
  entry_forget();
  kprobes_detach();         /* before the programs go */
  setns_bpf__destroy(skel); /* detaches every other link, closes the maps */
}

void attach_prog_totals(const struct setns_bpf *skel, struct prog_totals *t) {
  struct bpf_program *prog;

  *t = (struct prog_totals){.missed = kprobes_missed()};
  bpf_object__for_each_program(prog, skel->obj) {
    struct bpf_prog_info info = {0};
    __u32 len = sizeof(info);
    int fd = bpf_program__fd(prog);

    if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len) != 0)
      continue;
    t->missed += info.recursion_misses;
    t->run_ns += info.run_time_ns;
    t->runs += info.run_cnt;
  }
}
