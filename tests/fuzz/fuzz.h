/**
 * setns-collectd - tests/fuzz/fuzz.h
 *
 * What the libFuzzer harnesses share: taking typed values off the front of
 * the fuzz input, and a failed invariant reported as a crash, so that
 * libFuzzer keeps the input that broke it.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An invariant: on failure, say which and abort (libFuzzer saves the
 * input as a crash). */
#define FUZZ_CHECK(cond, ...)                                                  \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "invariant failed at %s:%d: %s: ", __FILE__, __LINE__,   \
              #cond);                                                          \
      fprintf(stderr, __VA_ARGS__);                                            \
      fputc('\n', stderr);                                                     \
      abort();                                                                 \
    }                                                                          \
  } while (0)

/* The fuzz input, consumed from the front. */
struct fuzz_input {
  const uint8_t *data;
  size_t size;
};

static inline uint8_t fuzz_u8(struct fuzz_input *in) {
  uint8_t v = 0;

  if (in->size > 0) {
    v = in->data[0];
    in->data++;
    in->size--;
  }
  return v;
}

/* n bytes into out, zero-filled past the end of the input. */
static inline void fuzz_bytes(struct fuzz_input *in, void *out, size_t n) {
  size_t take = n < in->size ? n : in->size;

  memset(out, 0, n);
  memcpy(out, in->data, take);
  in->data += take;
  in->size -= take;
}

static inline uint32_t fuzz_u32(struct fuzz_input *in) {
  uint32_t v;

  fuzz_bytes(in, &v, sizeof(v));
  return v;
}

/* A string up to a NUL byte or the end of the input, at most max bytes,
 * newly allocated. */
static inline char *fuzz_string(struct fuzz_input *in, size_t max) {
  size_t len = 0;
  char *s;

  while (len < in->size && len < max && in->data[len] != '\0')
    len++;
  s = malloc(len + 1);
  if (s == NULL)
    abort();
  memcpy(s, in->data, len);
  s[len] = '\0';
  in->data += len;
  in->size -= len;
  if (in->size > 0) /* the terminator */
    fuzz_u8(in);
  return s;
}

/* Whether s holds only printable ASCII (what escape_text promises). */
static inline bool fuzz_printable(const char *s) {
  for (; *s != '\0'; s++)
    if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
      return false;
  return true;
}

#endif
