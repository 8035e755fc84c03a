/**
 * setns-collectd - tests/fuzz/fuzz_escape.c
 *
 * escape_text, escape_item and sanitize_instance on any bytes a process
 * could choose for its name, into buffers of any size: the output is
 * NUL-terminated within the buffer, printable ASCII only, decodes back to
 * the start of the input (an escape is never cut in half, and text is cut
 * only when the next escape does not fit), and escape_item leaves no raw
 * ',', '[' or ']'; a sanitised name is [A-Za-z0-9_-] only, byte for byte
 * the input's length, "_" when empty.
 *
 * Input: one byte for the output size (1 to 256: every caller passes a
 * buffer), one for the function, the rest the string, in a buffer of
 * exactly its length so that reading past len is caught.
 */
#include "names.h"

#include "fuzz.h"

static int hex(char c) {
  return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes out into raw, checking the escapes are whole; its length. */
static size_t unescape(const char *out, char *raw) {
  size_t n = 0;

  for (size_t i = 0; out[i] != '\0'; i++) {
    if (out[i] != '\\') {
      raw[n++] = out[i];
      continue;
    }
    if (out[i + 1] == '\\') {
      raw[n++] = '\\';
      i++;
      continue;
    }
    FUZZ_CHECK(out[i + 1] == 'x' && hex(out[i + 2]) >= 0 && hex(out[i + 3]) >= 0,
               "a cut or unknown escape in \"%s\"", out);
    raw[n++] = (char)(hex(out[i + 2]) << 4 | hex(out[i + 3]));
    i += 3;
  }
  return n;
}

static size_t escaped_len(unsigned char c, bool item) {
  if (c == '\\')
    return 2;
  if (c < 0x20 || c > 0x7e || (item && strchr(",[]", c)))
    return 4;
  return 1;
}

static void check_escape(const char *in, size_t len, bool item, size_t size) {
  char *out = malloc(size), *raw = malloc(size);
  size_t whole = strnlen(in, len), got, used;

  if (out == NULL || raw == NULL)
    abort();
  memset(out, 'Z', size);
  (item ? escape_item : escape_text)(in, len, out, size);
  FUZZ_CHECK(memchr(out, '\0', size) != NULL, "not NUL-terminated in %zu", size);
  FUZZ_CHECK(fuzz_printable(out), "not printable ASCII");
  if (item)
    FUZZ_CHECK(strpbrk(out, ",[]") == NULL, "a raw separator in \"%s\"", out);
  got = unescape(out, raw);
  FUZZ_CHECK(got <= whole && memcmp(raw, in, got) == 0,
             "\"%s\" is not the start of the input", out);
  used = strlen(out);
  if (got < whole)
    FUZZ_CHECK(used + escaped_len((unsigned char)in[got], item) >= size,
               "cut at %zu of %zu with room left", got, whole);
  free(out);
  free(raw);
}

static void check_sanitize(const char *in, size_t len, size_t size) {
  char *out = malloc(size);
  size_t whole = strnlen(in, len), got;

  if (out == NULL)
    abort();
  sanitize_instance(in, len, out, size);
  FUZZ_CHECK(memchr(out, '\0', size) != NULL, "not NUL-terminated in %zu", size);
  got = strlen(out);
  FUZZ_CHECK(strspn(out, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                         "0123456789_-") == got,
             "\"%s\" has a byte outside [A-Za-z0-9_-]", out);
  if (whole == 0)
    FUZZ_CHECK(size == 1 || strcmp(out, "_") == 0, "empty gave \"%s\"", out);
  else
    FUZZ_CHECK(got == (whole < size - 1 ? whole : size - 1),
               "%zu bytes gave %zu in %zu", whole, got, size);
  free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fuzz_input in = {data, size};
  size_t out_size = (size_t)fuzz_u8(&in) + 1;
  uint8_t which = fuzz_u8(&in);
  char *s = malloc(in.size ? in.size : 1);

  if (s == NULL)
    abort();
  memcpy(s, in.data, in.size);
  switch (which % 3) {
  case 0:
    check_escape(s, in.size, false, out_size);
    break;
  case 1:
    check_escape(s, in.size, true, out_size);
    break;
  default:
    check_sanitize(s, in.size, out_size);
  }
  free(s);
  return 0;
}
