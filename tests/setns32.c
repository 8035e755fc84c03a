/**
 * setns-collectd - tests/setns32.c
 *
 * A 32-bit (ia32) program, built with -m32 -static, for the exact-count
 * test: "setns N" makes N setns(fd, CLONE_NEWUTS) calls into its own uts
 * namespace through the ia32 syscall (346); "pselect6 N" makes N ia32
 * pselect6 calls (308, the native setns number) whose arguments would
 * read as setns(uts fd, 0), which must not be counted as joins.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if !defined(__i386__)
#error "build tests/setns32.c with -m32"
#endif

int main(int argc, char **argv) {
  struct timespec zero = {0, 0};
  int fd, n;

  if (argc != 3 || (n = atoi(argv[2])) < 0) {
    fprintf(stderr, "usage: setns32 setns|pselect6 COUNT\n");
    return 2;
  }
  fd = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    perror("setns32: /proc/self/ns/uts");
    return 1;
  }
  for (int i = 0; i < n; i++) {
    long ret = strcmp(argv[1], "setns") == 0
                   ? syscall(SYS_setns, fd, CLONE_NEWUTS)
                   : syscall(SYS_pselect6, fd, NULL, NULL, NULL, &zero, NULL);
    if (ret != 0) {
      perror("setns32");
      return 1;
    }
  }
  return 0;
}
