/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/match.c
 *
 * The Process / IgnoreSelected filter (see match.h).
 */
#include "match.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void name_match_free(struct name_match *m) {
  if (m->name)
    free(m->name);
  else
    regfree(&m->regex);
}

/* A quantifier right after another ("a++", "a*{2}"): undefined in POSIX
 * extended regular expressions, and glibc's regcomp copies the pattern
 * tree for each, so that a few dozen take gigabytes. */
static bool stacked_quantifiers(const char *expr) {
  for (const char *p = expr; *p != '\0'; p++) {
    if (*p == '\\' && p[1] != '\0') {
      p++;
      continue;
    }
    if (*p == '[') { /* a bracket expression quantifies nothing */
      p += p[1] == '^' ? 2 : 1;
      p += *p == ']';
      while (*p != '\0' && *p != ']')
        p++;
      if (*p == '\0')
        return false; /* regcomp says what is wrong */
      continue;
    }
    if (strchr("*+?}", *p) != NULL && p[1] != '\0' &&
        strchr("*+?{", p[1]) != NULL)
      return true;
  }
  return false;
}

/* One entry: an exact name, or the regex between the slashes. */
static int name_match_make(const char *pattern, struct name_match *m, char *why,
                           size_t size) {
  size_t len = strlen(pattern);
  char *expr;
  int err;

  *m = (struct name_match){.name = NULL};
  if (len < 2 || pattern[0] != '/' || pattern[len - 1] != '/') {
    m->name = strdup(pattern);
    err = m->name ? 0 : -1;
  } else {
    expr = strndup(pattern + 1, len - 2);
    if (expr != NULL && stacked_quantifiers(expr)) {
      free(expr);
      snprintf(why, size, "a quantifier follows another");
      return -1;
    }
    err = expr ? regcomp(&m->regex, expr, REG_EXTENDED | REG_NOSUB) : -1;
    free(expr);
  }
  if (err > 0)
    regerror(err, &m->regex, why, size);
  else if (err < 0)
    snprintf(why, size, "out of memory");
  return err ? -1 : 0;
}

int name_filter_add(struct name_filter *f, const char *pattern, char *why,
                    size_t size) {
  struct name_match m, *grown;

  if (name_match_make(pattern, &m, why, size) != 0)
    return -1;
  grown = realloc(f->entries, (f->num + 1) * sizeof(*grown));
  if (grown == NULL) {
    snprintf(why, size, "out of memory");
    name_match_free(&m);
    return -1;
  }
  f->entries = grown;
  f->entries[f->num++] = m;
  return 0;
}

bool name_filter_wants(const struct name_filter *f, const char *comm) {
  bool listed = false;

  if (f->num == 0)
    return true;
  for (size_t i = 0; i < f->num && !listed; i++) {
    const struct name_match *m = f->entries + i;

    listed = m->name ? strcmp(m->name, comm) == 0
                     : regexec(&m->regex, comm, 0, NULL, 0) == 0;
  }
  return listed != f->ignore_selected;
}

void name_filter_free(struct name_filter *f) {
  for (size_t i = 0; i < f->num; i++)
    name_match_free(f->entries + i);
  free(f->entries);
  *f = (struct name_filter){.entries = NULL};
}
