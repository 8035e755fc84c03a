/**
 * setns-collectd - tests/setns-gen.c
 *
 * Makes exact numbers of setns(2) calls, for tests and benchmarks:
 *
 *   setns-gen [--comm NAME] OP COUNT [OP COUNT]...
 *
 *   --comm NAME                set the process name (comm) first, any bytes
 *   --target PID               join PID's namespaces (default: own): the
 *                              pidfd and the type operations
 *
 *   net mnt pid uts ipc cgroup time  setns(own ns fd, CLONE_NEW<type>), or
 *                              the --target's
 *   user                       setns(fd of a child user ns, CLONE_NEWUSER),
 *                              each in a forked child (joining a user
 *                              namespace cannot be undone)
 *   zero-<type>                the same with nstype 0
 *   pidfd                      setns(pidfd, CLONE_NEWNET|NEWUTS|NEWIPC)
 *   ebadf einval eperm         calls that fail with that errno
 *   loop                       COUNT joins of the own net namespace, as fast
 *                              as possible; prints ns per call
 *   getppid                    COUNT getppid(2) calls, as fast as possible;
 *                              prints ns per call and makes no setns call:
 *                              what watching setns costs other syscalls
 *   spawn                      COUNT times fork(), execve() of the program
 *                              $SETNS_SPAWN (a small static one), wait();
 *                              prints ns per round: what following
 *                              processes (ExecSessions) costs them
 *   flood                      joins of the own net namespace from two
 *                              threads for COUNT seconds; prints the total
 *
 * Every call's result is checked: the exit status is 0 only if each call
 * succeeded or failed exactly as asked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const struct {
  const char *name; /* /proc/self/ns/ entry */
  const char *op;
  int flag;
} types[] = {
    {"net", "net", CLONE_NEWNET},    {"mnt", "mnt", CLONE_NEWNS},
    {"pid", "pid", CLONE_NEWPID},    {"uts", "uts", CLONE_NEWUTS},
    {"ipc", "ipc", CLONE_NEWIPC},    {"cgroup", "cgroup", CLONE_NEWCGROUP},
    {"time", "time", CLONE_NEWTIME},
};

static int open_ns(pid_t pid, const char *name) {
  char path[64];
  int fd;

  snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, name);
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fprintf(stderr, "setns-gen: open %s: %s\n", path, strerror(errno));
    exit(2);
  }
  return fd;
}

/* One call; the result must be `want_errno` (0: success). */
static int call(int fd, int nstype, int want_errno) {
  int rc = setns(fd, nstype);
  int got = rc == 0 ? 0 : errno;

  if (got != want_errno) {
    fprintf(stderr, "setns-gen: setns(%d, %#x) gave %s, want %s\n", fd, nstype,
            got ? strerror(got) : "success",
            want_errno ? strerror(want_errno) : "success");
    return -1;
  }
  return 0;
}

static pid_t target;

static int join_own(const char *name, int flag, int nstype, long n) {
  int fd = open_ns(target ? target : getpid(), name), rc = 0;

  for (long i = 0; i < n && rc == 0; i++)
    rc = call(fd, nstype ? flag : 0, 0);
  close(fd);
  return rc;
}

/* A child that sits in a new user namespace until killed. */
static pid_t user_ns_holder(void) {
  int ready[2];
  char c;
  pid_t pid;

  if (pipe(ready) != 0)
    return -1;
  pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (unshare(CLONE_NEWUSER) != 0)
      _exit(1);
    (void)write(ready[1], "x", 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  if (read(ready[0], &c, 1) != 1)
    pid = -1;
  close(ready[0]);
  return pid;
}

static int wait_ok(pid_t pid) {
  int status;

  return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
                 WEXITSTATUS(status) == 0
             ? 0
             : -1;
}

static int join_user(long n) {
  pid_t holder = user_ns_holder();
  int rc = holder > 0 ? 0 : -1;

  for (long i = 0; i < n && rc == 0; i++) {
    int fd = open_ns(holder, "user");
    pid_t pid = fork();

    if (pid == 0)
      _exit(call(fd, CLONE_NEWUSER, 0) == 0 ? 0 : 1);
    rc = wait_ok(pid);
    close(fd);
  }
  if (holder > 0) {
    kill(holder, SIGKILL);
    waitpid(holder, NULL, 0);
  }
  return rc;
}

static int join_pidfd(long n) {
  pid_t pid = target ? target : getpid();
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), rc = 0;

  if (pidfd < 0) {
    fprintf(stderr, "setns-gen: pidfd_open: %s\n", strerror(errno));
    return -1;
  }
  for (long i = 0; i < n && rc == 0; i++)
    rc = call(pidfd, CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC, 0);
  close(pidfd);
  return rc;
}

static int fail(const char *op, long n) {
  int fd = open_ns(getpid(), "net"), rc = 0;

  for (long i = 0; i < n && rc == 0; i++) {
    if (strcmp(op, "ebadf") == 0)
      rc = call(-1, CLONE_NEWNET, EBADF);
    else if (strcmp(op, "einval") == 0)
      rc = call(fd, CLONE_NEWUTS, EINVAL); /* a net ns is not a uts ns */
    else {
      pid_t pid = fork();

      /* Without CAP_SYS_ADMIN, joining is not allowed. */
      if (pid == 0)
        _exit(setresuid(65534, 65534, 65534) == 0 &&
                      call(fd, CLONE_NEWNET, EPERM) == 0
                  ? 0
                  : 1);
      rc = wait_ok(pid);
    }
  }
  close(fd);
  return rc;
}

/* Prints the time since t0 per call, for n calls. */
static void per_call(const struct timespec *t0, long n) {
  struct timespec t1;

  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%.1f ns/call\n",
         ((t1.tv_sec - t0->tv_sec) * 1e9 + (t1.tv_nsec - t0->tv_nsec)) /
             (double)n);
}

static int loop(long n) {
  int fd = open_ns(getpid(), "net"), rc = 0;
  struct timespec t0;

  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < n; i++)
    rc |= setns(fd, CLONE_NEWNET);
  per_call(&t0, n);
  close(fd);
  return rc;
}

/* The cheapest syscall that enters the kernel, to show what a monitor
 * costs the syscalls it does not watch: one on every syscall's exit shows
 * here at its largest. Through syscall(2), so that no libc can answer from
 * a cache. */
static int other_loop(long n) {
  struct timespec t0;

  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < n; i++)
    syscall(SYS_getppid);
  per_call(&t0, n);
  return 0;
}

static int spawn_loop(long n) {
  const char *prog = getenv("SETNS_SPAWN");
  char *const argv[] = {(char *)prog, NULL}, *const envp[] = {NULL};
  struct timespec t0;
  int status, rc = 0;

  if (prog == NULL)
    return -1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long i = 0; i < n && rc == 0; i++) {
    pid_t pid = fork();

    if (pid == 0) {
      execve(prog, argv, envp);
      _exit(127);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || status != 0)
      rc = -1;
  }
  per_call(&t0, n);
  return rc;
}

static volatile int flood_stop;

static void *flood_thread(void *arg) {
  int fd = open_ns(getpid(), "net");
  long *joins = arg;

  while (!flood_stop)
    if (setns(fd, CLONE_NEWNET) == 0)
      (*joins)++;
  close(fd);
  return NULL;
}

/* Two threads joining for the given seconds; prints the joins made, which
 * the plugin's counts must match exactly. */
static int flood(long seconds) {
  pthread_t threads[2];
  long joins[2] = {0, 0};

  for (int i = 0; i < 2; i++)
    if (pthread_create(&threads[i], NULL, flood_thread, &joins[i]) != 0)
      return -1;
  sleep((unsigned int)seconds);
  flood_stop = 1;
  for (int i = 0; i < 2; i++)
    pthread_join(threads[i], NULL);
  printf("%ld joins\n", joins[0] + joins[1]);
  return 0;
}

static int run(const char *op, long n) {
  int zero = strncmp(op, "zero-", 5) == 0;
  const char *type = zero ? op + 5 : op;

  for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
    if (strcmp(type, types[i].op) == 0)
      return join_own(types[i].name, types[i].flag, !zero, n);
  if (strcmp(op, "user") == 0)
    return join_user(n);
  if (strcmp(op, "pidfd") == 0)
    return join_pidfd(n);
  if (strcmp(op, "loop") == 0)
    return loop(n);
  if (strcmp(op, "getppid") == 0)
    return other_loop(n);
  if (strcmp(op, "flood") == 0)
    return flood(n);
  if (strcmp(op, "spawn") == 0)
    return spawn_loop(n);
  if (!strcmp(op, "ebadf") || !strcmp(op, "einval") || !strcmp(op, "eperm"))
    return fail(op, n);
  fprintf(stderr, "setns-gen: unknown operation \"%s\"\n", op);
  return -1;
}

int main(int argc, char **argv) {
  int first = 1;

  for (; first + 1 < argc && argv[first][0] == '-'; first += 2) {
    if (strcmp(argv[first], "--comm") == 0)
      prctl(PR_SET_NAME, argv[first + 1]);
    else if (strcmp(argv[first], "--target") == 0)
      target = (pid_t)atoi(argv[first + 1]);
    else
      break;
  }
  if (argc - first < 2 || (argc - first) % 2 != 0) {
    fprintf(stderr, "usage: setns-gen [--comm NAME] [--target PID] OP COUNT "
                    "[OP COUNT]...\n");
    return 2;
  }
  for (int i = first; i + 1 < argc; i += 2) {
    char *end;
    long n = strtol(argv[i + 1], &end, 10);

    if (*end != '\0' || n < 0 || run(argv[i], n) != 0) {
      fprintf(stderr, "setns-gen: %s %s failed\n", argv[i], argv[i + 1]);
      return 1;
    }
  }
  return 0;
}
