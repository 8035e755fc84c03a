/**
 * setns-collectd - tests/mock_plugin.c
 *
 * collectd 5.12 ships no mock of its daemon for out-of-tree plugins; these
 * are the few functions the plugin uses, with collectd's semantics.
 */
#include "mock_plugin.h"

#include "utils/common/common.h"

mock_value_t mock_values[MOCK_MAX_VALUES];
int mock_values_num;
int mock_errors_num;
int mock_warnings_num;
char mock_last_error[1024];
char *hostname_g = "mock-host";
mock_notif_t mock_notifs[MOCK_MAX_NOTIFS];
int mock_notifs_num;

void mock_reset(void) {
  mock_notifs_num = 0;
  mock_values_num = 0;
  mock_errors_num = 0;
  mock_warnings_num = 0;
  mock_last_error[0] = '\0';
}

const mock_value_t *mock_find(const char *type, const char *type_instance) {
  for (int i = 0; i < mock_values_num; i++)
    if (strcmp(mock_values[i].type, type) == 0 &&
        strcmp(mock_values[i].type_instance, type_instance) == 0)
      return &mock_values[i];
  return NULL;
}

int plugin_dispatch_values(value_list_t const *vl) {
  mock_value_t *v = &mock_values[mock_values_num];

  if (mock_values_num >= MOCK_MAX_VALUES || vl->values_len != 1)
    return -1;
  sstrncpy(v->type, vl->type, sizeof(v->type));
  sstrncpy(v->type_instance, vl->type_instance, sizeof(v->type_instance));
  sstrncpy(v->plugin, vl->plugin, sizeof(v->plugin));
  sstrncpy(v->plugin_instance, vl->plugin_instance, sizeof(v->plugin_instance));
  v->derive = vl->values[0].derive;
  mock_values_num++;
  return 0;
}

void plugin_log(int level, const char *format, ...) {
  char msg[1024];
  va_list ap;

  va_start(ap, format);
  vsnprintf(msg, sizeof(msg), format, ap);
  va_end(ap);
  if (level == LOG_WARNING)
    mock_warnings_num++;
  if (level == LOG_ERR) {
    mock_errors_num++;
    sstrncpy(mock_last_error, msg, sizeof(mock_last_error));
  }
  printf("log[%d]: %s\n", level, msg);
}

#define UNUSED __attribute__((unused))

int plugin_register_complex_config(const char *type UNUSED,
                                   int (*callback)(oconfig_item_t *) UNUSED) {
  return 0;
}
int plugin_register_init(const char *name UNUSED,
                         plugin_init_cb callback UNUSED) {
  return 0;
}
int plugin_register_read(const char *name UNUSED,
                         int (*callback)(void) UNUSED) {
  return 0;
}
int plugin_register_flush(const char *name UNUSED,
                          plugin_flush_cb callback UNUSED,
                          user_data_t const *ud UNUSED) {
  return 0;
}
int plugin_register_shutdown(const char *name UNUSED,
                             plugin_shutdown_cb callback UNUSED) {
  return 0;
}

char *sstrncpy(char *dest, const char *src, size_t n) {
  if (n == 0)
    return dest;
  snprintf(dest, n, "%s", src);
  return dest;
}

char *sstrerror(int errnum, char *buf, size_t buflen) {
  snprintf(buf, buflen, "%s", strerror(errnum));
  return buf;
}

static oconfig_item_t *mock_config(const char *key, oconfig_value_t value) {
  oconfig_item_t *ci = calloc(1, sizeof(*ci));

  ci->key = strdup(key);
  ci->values = calloc(1, sizeof(*ci->values));
  ci->values[0] = value;
  ci->values_num = 1;
  return ci;
}

oconfig_item_t *mock_config_string(const char *key, const char *value) {
  return mock_config(key, (oconfig_value_t){.type = OCONFIG_TYPE_STRING,
                                            .value.string = strdup(value)});
}

oconfig_item_t *mock_config_number(const char *key, double value) {
  return mock_config(key, (oconfig_value_t){.type = OCONFIG_TYPE_NUMBER,
                                            .value.number = value});
}

/* A line of several values: strings, or numbers where one is NULL (the
 * number is its index), for the list keys. */
oconfig_item_t *mock_config_strings(const char *key, int num,
                                    const char *const *values) {
  oconfig_item_t *ci = calloc(1, sizeof(*ci));

  ci->key = strdup(key);
  ci->values = calloc((size_t)num, sizeof(*ci->values));
  ci->values_num = num;
  for (int i = 0; i < num; i++)
    ci->values[i] =
        values[i]
            ? (oconfig_value_t){.type = OCONFIG_TYPE_STRING,
                                .value.string = strdup(values[i])}
            : (oconfig_value_t){.type = OCONFIG_TYPE_NUMBER, .value.number = i};
  return ci;
}

void mock_config_free(oconfig_item_t *ci) {
  for (int i = 0; i < ci->values_num; i++)
    if (ci->values[i].type == OCONFIG_TYPE_STRING)
      free(ci->values[i].value.string);
  free(ci->values);
  free(ci->key);
  free(ci);
}

const char *mock_meta(const mock_notif_t *m, const char *key) {
  for (int i = 0; i < m->meta_num; i++)
    if (strcmp(m->meta_key[i], key) == 0)
      return m->meta_value[i];
  return NULL;
}

int plugin_dispatch_notification(const notification_t *notif) {
  mock_notif_t *m = &mock_notifs[mock_notifs_num];

  if (mock_notifs_num >= MOCK_MAX_NOTIFS)
    return -1;
  m->n = *notif;
  m->n.meta = NULL;
  m->meta_num = 0;
  for (notification_meta_t *meta = notif->meta;
       meta != NULL && m->meta_num < MOCK_MAX_META; meta = meta->next) {
    sstrncpy(m->meta_key[m->meta_num], meta->name, DATA_MAX_NAME_LEN);
    if (meta->type == NM_TYPE_STRING)
      sstrncpy(m->meta_value[m->meta_num], meta->nm_value.nm_string, 4096);
    else
      snprintf(m->meta_value[m->meta_num], 4096, "%" PRIu64,
               meta->nm_value.nm_unsigned_int);
    m->meta_num++;
  }
  mock_notifs_num++;
  printf("notification[%d]: %s\n", notif->severity, notif->message);
  return 0;
}

static int mock_meta_add(notification_t *n, const char *name,
                         enum notification_meta_type_e type,
                         notification_meta_t **out) {
  notification_meta_t *meta = calloc(1, sizeof(*meta));
  notification_meta_t **tail = &n->meta;

  if (meta == NULL)
    return -1;
  sstrncpy(meta->name, name, sizeof(meta->name));
  meta->type = type;
  while (*tail != NULL)
    tail = &(*tail)->next;
  *tail = meta;
  *out = meta;
  return 0;
}

int plugin_notification_meta_add_string(notification_t *n, const char *name,
                                        const char *value) {
  notification_meta_t *meta;

  if (mock_meta_add(n, name, NM_TYPE_STRING, &meta) != 0)
    return -1;
  meta->nm_value.nm_string = strdup(value);
  return 0;
}

int plugin_notification_meta_add_unsigned_int(notification_t *n,
                                              const char *name,
                                              uint64_t value) {
  notification_meta_t *meta;

  if (mock_meta_add(n, name, NM_TYPE_UNSIGNED_INT, &meta) != 0)
    return -1;
  meta->nm_value.nm_unsigned_int = value;
  return 0;
}

int plugin_notification_meta_free(notification_meta_t *n) {
  while (n != NULL) {
    notification_meta_t *next = n->next;

    if (n->type == NM_TYPE_STRING)
      free((char *)n->nm_value.nm_string);
    free(n);
    n = next;
  }
  return 0;
}

int parse_notif_severity(const char *severity) {
  if (strcasecmp(severity, "okay") == 0 || strcasecmp(severity, "ok") == 0)
    return NOTIF_OKAY;
  if (strcasecmp(severity, "warning") == 0 || strcasecmp(severity, "warn") == 0)
    return NOTIF_WARNING;
  if (strcasecmp(severity, "failure") == 0)
    return NOTIF_FAILURE;
  return -1;
}

cdtime_t cdtime(void) {
  struct timespec ts;

  clock_gettime(CLOCK_REALTIME, &ts);
  return TIMESPEC_TO_CDTIME_T(&ts);
}

int plugin_thread_create(pthread_t *thread, void *(*start_routine)(void *),
                         void *arg, char const *name) {
  (void)name;
  return pthread_create(thread, NULL, start_routine, arg);
}
