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
char mock_last_error[1024];
char *hostname_g = "mock-host";

void mock_reset(void) {
  mock_values_num = 0;
  mock_errors_num = 0;
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
  sstrncpy(v->plugin_instance, vl->plugin_instance,
           sizeof(v->plugin_instance));
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
  if (level == LOG_ERR) {
    mock_errors_num++;
    sstrncpy(mock_last_error, msg, sizeof(mock_last_error));
  }
  printf("log[%d]: %s\n", level, msg);
}

int plugin_register_complex_config(const char *type,
                                   int (*callback)(oconfig_item_t *)) {
  return 0;
}
int plugin_register_init(const char *name, plugin_init_cb callback) {
  return 0;
}
int plugin_register_read(const char *name, int (*callback)(void)) {
  return 0;
}
int plugin_register_shutdown(const char *name, plugin_shutdown_cb callback) {
  return 0;
}

char *sstrncpy(char *dest, const char *src, size_t n) {
  if (n == 0)
    return dest;
  strncpy(dest, src, n - 1);
  dest[n - 1] = '\0';
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

void mock_config_free(oconfig_item_t *ci) {
  if (ci->values[0].type == OCONFIG_TYPE_STRING)
    free(ci->values[0].value.string);
  free(ci->values);
  free(ci->key);
  free(ci);
}
