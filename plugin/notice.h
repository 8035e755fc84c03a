/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * setns-collectd - plugin/notice.h
 *
 * A notification as the plugin builds it, in plain C: its names, message
 * and meta data, the strings copied in. dispatch.c makes a collectd
 * notification of it; tests read it as it is.
 */
#ifndef SETNS_NOTICE_H
#define SETNS_NOTICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* collectd's DATA_MAX_NAME_LEN and NOTIF_MAX_MSG_LEN (dispatch.c checks). */
#define NOTICE_NAME_LEN 128
#define NOTICE_MESSAGE_LEN 256
/* Room for every key a join notification has, and their values: the
 * longest values are cut to fit a JSON alert (notify.c). */
#define NOTICE_META_MAX 48
#define NOTICE_TEXT_LEN 8192

struct notice_meta {
  const char *key; /* a string literal */
  bool number;     /* value is in num, else at text + off */
  uint64_t num;
  size_t off;
};

struct notice {
  int severity;   /* collectd's NOTIF_FAILURE, NOTIF_WARNING, NOTIF_OKAY */
  uint64_t ts_ns; /* CLOCK_MONOTONIC of what it tells */
  char plugin_instance[NOTICE_NAME_LEN];
  char type[NOTICE_NAME_LEN];
  char type_instance[NOTICE_NAME_LEN];
  char message[NOTICE_MESSAGE_LEN];
  struct notice_meta meta[NOTICE_META_MAX];
  int nmeta;
  char text[NOTICE_TEXT_LEN]; /* the string values, one after another */
  size_t used;
};

/* CLOCK_MONOTONIC in ns, the clock of the events' ts_ns. */
uint64_t monotonic_ns(void);

/* Adds a meta value; a key past NOTICE_META_MAX is dropped and a string
 * past the text's room cut, neither of which the plugin's notices reach. */
void notice_string(struct notice *n, const char *key, const char *value);
void notice_unsigned(struct notice *n, const char *key, uint64_t value);
/* A string value by key, NULL when absent or a number. */
const char *notice_get(const struct notice *n, const char *key);

#endif
