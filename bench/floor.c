/**
 * setns-collectd - bench/floor.c
 *
 * Loads and attaches empty BPF programs for bench/run, which compares the
 * plugin with them: the floor of each attach mode's hook.
 *
 *   floor OBJECT PROG...
 *
 * Loads only the named programs of OBJECT (floor.bpf.o), attaches them,
 * prints "attached PROG..." and waits until its standard input closes or
 * it gets SIGTERM or SIGINT; then detaches and exits 0. Waiting on stdin
 * means the programs never outlive the bench that started it, however the
 * bench ends. If a program does not load or attach, it prints why on one
 * line on stderr and exits 1, for the bench's "cannot run here" rows.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* libbpf's first warning about a program, which says what failed and why
 * (the load refused, the perf event it could not create); its debug
 * chatter and the general "failed to load object" after it are dropped. */
static char why[256];

static int keep_why(enum libbpf_print_level level, const char *fmt,
                    va_list ap) {
  char line[256];

  if (level != LIBBPF_WARN || why[0])
    return 0;
  vsnprintf(line, sizeof(line), fmt, ap);
  line[strcspn(line, "\n")] = '\0';
  if (strstr(line, "prog '"))
    snprintf(why, sizeof(why), "%s",
             strncmp(line, "libbpf: ", 8) == 0 ? line + 8 : line);
  return 0;
}

static int failed(const char *what, const char *name, int err) {
  if (why[0])
    fprintf(stderr, "floor: %s\n", why);
  else
    fprintf(stderr, "floor: %s %s: %s\n", what, name, strerror(-err));
  return 1;
}

static int named(const char *name, int argc, char **argv) {
  for (int i = 0; i < argc; i++)
    if (strcmp(name, argv[i]) == 0)
      return 1;
  return 0;
}

static volatile sig_atomic_t stop;
static void on_signal(int sig) { stop = sig; }

/* Until stdin closes or a signal comes: no SA_RESTART, so that read(2)
 * returns with EINTR on a signal. */
static void wait_for_end(void) {
  struct sigaction sa = {.sa_handler = on_signal};
  char buf[64];

  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  while (!stop) {
    ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

    if (n == 0 || (n < 0 && errno != EINTR))
      break;
  }
}

/* The object with only the named programs loaded, or NULL. */
static struct bpf_object *load(const char *path, int n, char **names) {
  struct bpf_program *prog;
  struct bpf_object *obj;
  int err;

  obj = bpf_object__open_file(path, NULL);
  if (!obj) {
    failed("open", path, -errno);
    return NULL;
  }
  for (int i = 0; i < n; i++)
    if (!bpf_object__find_program_by_name(obj, names[i])) {
      fprintf(stderr, "floor: no program %s in %s\n", names[i], path);
      goto fail;
    }
  bpf_object__for_each_program(prog, obj) {
    bpf_program__set_autoload(prog, named(bpf_program__name(prog), n, names));
  }
  err = bpf_object__load(obj);
  if (err == 0)
    return obj;
  failed("load", path, err);
fail:
  bpf_object__close(obj);
  return NULL;
}

/* Attaches the named programs into links; how many it attached, all of
 * them unless one failed. */
static int attach(struct bpf_object *obj, int n, char **names,
                  struct bpf_link **links) {
  for (int i = 0; i < n; i++) {
    links[i] =
        bpf_program__attach(bpf_object__find_program_by_name(obj, names[i]));
    if (!links[i]) {
      failed("attach", names[i], -errno);
      return i;
    }
  }
  return n;
}

int main(int argc, char **argv) {
  struct bpf_link *links[8];
  struct bpf_object *obj;
  int n = argc - 2, attached, ok;

  if (n < 1 || n > (int)(sizeof(links) / sizeof(links[0]))) {
    fprintf(stderr, "usage: floor OBJECT PROG... (at most 8)\n");
    return 2;
  }
  libbpf_set_print(keep_why);
  obj = load(argv[1], n, argv + 2);
  if (!obj)
    return 1;
  attached = attach(obj, n, argv + 2, links);
  ok = attached == n;
  if (ok) {
    printf("attached");
    for (int i = 0; i < n; i++)
      printf(" %s", argv[2 + i]);
    printf("\n");
    fflush(stdout);
    wait_for_end();
  }
  while (attached > 0)
    bpf_link__destroy(links[--attached]);
  bpf_object__close(obj);
  return ok ? 0 : 1;
}
