/**
 * setns-collectd - tests/setns32.c
 *
 * A 32-bit program, built -static for the exact-count test with x86-64's
 * gcc -m32 (ia32) or a 32-bit ARM compiler (AArch32 on arm64): "setns N"
 * makes N setns(fd, CLONE_NEWUTS) calls into its own uts namespace
 * through the 32-bit syscall (346 on ia32, 375 on ARM); "native-nr N"
 * makes N 32-bit calls of the number that is setns in the 64-bit ABI
 * (ia32 pselect6, 308 on x86-64; ARM tgkill, 268 on arm64), with
 * arguments that would read as setns(uts fd, 0), which must not be
 * counted as joins or failures. On ARM they fail with EINVAL (no thread
 * 0), which a program taking them for setns would count.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#if defined(__i386__)
/* pselect6(fd, NULL, NULL, NULL, {0, 0}, NULL): 0 at once */
static long native_nr(int fd) {
  struct timespec zero = {0, 0};

  return syscall(SYS_pselect6, fd, NULL, NULL, NULL, &zero, NULL);
}
#elif defined(__arm__)
/* tgkill(fd, 0, 0): EINVAL */
static long native_nr(int fd) {
  long ret = syscall(SYS_tgkill, fd, 0, 0);

  return ret == -1 && errno == EINVAL ? 0 : -1;
}
#else
#error                                                                         \
    "build tests/setns32.c for a 32-bit ABI (gcc -m32, arm-linux-gnueabihf-gcc)"
#endif

int main(int argc, char **argv) {
  int fd, n;

  if (argc != 3 || (n = atoi(argv[2])) < 0) {
    fprintf(stderr, "usage: setns32 setns|native-nr COUNT\n");
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
                   : native_nr(fd);
    if (ret != 0) {
      perror("setns32");
      return 1;
    }
  }
  return 0;
}
