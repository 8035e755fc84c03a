/**
 * setns-collectd - plugin/match.c
 *
 * The Process / IgnoreSelected filter, with the semantics of collectd's own
 * ignorelist ("NAME" matches exactly, "/REGEX/" as an extended regular
 * expression), which the daemon does not export to plugins. Part of the
 * setns.c translation unit.
 */

#include <regex.h>

struct name_match {
  char *name;    /* exact match, or NULL */
  regex_t regex; /* when name is NULL */
};

static struct {
  struct name_match *entries;
  size_t num;
  bool ignore_selected;
} name_filter;

/* Adds "NAME" or "/REGEX/"; on a bad regex, fills why and returns -1. */
static int name_filter_add(const char *pattern, char *why, size_t size) {
  size_t len = strlen(pattern);
  struct name_match m = {.name = NULL};
  struct name_match *grown;

  if (len >= 2 && pattern[0] == '/' && pattern[len - 1] == '/') {
    char *expr = strndup(pattern + 1, len - 2);
    int err = expr ? regcomp(&m.regex, expr, REG_EXTENDED | REG_NOSUB) : -1;

    free(expr);
    if (err != 0) {
      if (err > 0)
        regerror(err, &m.regex, why, size);
      else
        snprintf(why, size, "out of memory");
      return -1;
    }
  } else if ((m.name = strdup(pattern)) == NULL) {
    snprintf(why, size, "out of memory");
    return -1;
  }
  grown = realloc(name_filter.entries, (name_filter.num + 1) * sizeof(*grown));
  if (grown == NULL) {
    snprintf(why, size, "out of memory");
    if (m.name)
      free(m.name);
    else
      regfree(&m.regex);
    return -1;
  }
  name_filter.entries = grown;
  name_filter.entries[name_filter.num++] = m;
  return 0;
}

/* Whether notifications for this comm are wanted: everything when the
 * list is empty, else the listed names, or all but them with
 * IgnoreSelected true. */
static bool name_filter_wants(const char *comm) {
  bool listed = false;

  if (name_filter.num == 0)
    return true;
  for (size_t i = 0; i < name_filter.num && !listed; i++) {
    const struct name_match *m = name_filter.entries + i;

    listed = m->name ? strcmp(m->name, comm) == 0
                     : regexec(&m->regex, comm, 0, NULL, 0) == 0;
  }
  return listed != name_filter.ignore_selected;
}

static void name_filter_free(void) {
  for (size_t i = 0; i < name_filter.num; i++) {
    if (name_filter.entries[i].name)
      free(name_filter.entries[i].name);
    else
      regfree(&name_filter.entries[i].regex);
  }
  free(name_filter.entries);
  name_filter.entries = NULL;
  name_filter.num = 0;
  name_filter.ignore_selected = false;
}
