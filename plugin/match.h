/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/match.h
 *
 * The Process / IgnoreSelected filter, with the semantics of collectd's own
 * ignorelist ("NAME" matches exactly, "/REGEX/" as an extended regular
 * expression), which the daemon does not export to plugins.
 */
#ifndef SETNS_MATCH_H
#define SETNS_MATCH_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

struct name_match {
  char *name;    /* exact match, or NULL */
  regex_t regex; /* when name is NULL */
};

struct name_filter {
  struct name_match *entries;
  size_t num;
  bool ignore_selected;
};

/* Adds "NAME" or "/REGEX/"; on a bad regex, fills why and returns -1. */
int name_filter_add(struct name_filter *f, const char *pattern, char *why,
                    size_t size);
/* Whether notifications for this comm are wanted: everything when the
 * list is empty, else the listed names, or all but them with
 * IgnoreSelected true. */
bool name_filter_wants(const struct name_filter *f, const char *comm);
/* Empties the filter, back to "every process". */
void name_filter_free(struct name_filter *f);

#endif
