/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/notice.c
 *
 * A notification's meta data, in plain C (see notice.h).
 */
#include "notice.h"

#include <string.h>
#include <time.h>

uint64_t monotonic_ns(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static struct notice_meta *meta_next(struct notice *n, const char *key) {
  if (n->nmeta == NOTICE_META_MAX)
    return NULL;
  n->meta[n->nmeta] = (struct notice_meta){.key = key};
  return n->meta + n->nmeta++;
}

void notice_string(struct notice *n, const char *key, const char *value) {
  struct notice_meta *m = meta_next(n, key);
  size_t room, len = strlen(value);

  if (m == NULL)
    return;
  room = sizeof(n->text) - n->used;
  if (len >= room)
    len = room - 1; /* room is never 0: the last byte ends the last value */
  m->off = n->used;
  memcpy(n->text + n->used, value, len);
  n->text[n->used + len] = '\0';
  n->used += len + (n->used + len + 1 < sizeof(n->text) ? 1 : 0);
}

void notice_unsigned(struct notice *n, const char *key, uint64_t value) {
  struct notice_meta *m = meta_next(n, key);

  if (m == NULL)
    return;
  m->number = true;
  m->num = value;
}

const char *notice_get(const struct notice *n, const char *key) {
  for (int i = 0; i < n->nmeta; i++)
    if (!n->meta[i].number && strcmp(n->meta[i].key, key) == 0)
      return n->text + n->meta[i].off;
  return NULL;
}
