/**
 * setns-collectd - tests/mock_plugin.h
 *
 * Stand-ins for the collectd daemon functions the plugin calls, for unit
 * tests that link the plugin without the daemon. They keep what was
 * dispatched and logged so tests can assert on it.
 */
#ifndef MOCK_PLUGIN_H
#define MOCK_PLUGIN_H

#include "daemon/collectd.h"
#include "daemon/plugin.h"

#define MOCK_MAX_VALUES 1024

typedef struct {
  char type[DATA_MAX_NAME_LEN];
  char type_instance[DATA_MAX_NAME_LEN];
  char plugin[DATA_MAX_NAME_LEN];
  char plugin_instance[DATA_MAX_NAME_LEN];
  derive_t derive;
} mock_value_t;

extern mock_value_t mock_values[MOCK_MAX_VALUES];
extern int mock_values_num;
extern int mock_errors_num;        /* ERROR lines logged */
extern int mock_warnings_num;      /* WARNING lines logged */
extern char mock_last_error[1024]; /* the last one */

#define MOCK_MAX_NOTIFS 64
#define MOCK_MAX_META 48

/* A dispatched notification, its meta data rendered as strings. */
typedef struct {
  notification_t n; /* n.meta is NULL: see below */
  int meta_num;
  char meta_key[MOCK_MAX_META][DATA_MAX_NAME_LEN];
  char meta_value[MOCK_MAX_META][4096];
} mock_notif_t;

extern mock_notif_t mock_notifs[MOCK_MAX_NOTIFS];
extern int mock_notifs_num;

void mock_reset(void);
/* A meta value of a notification as a string, NULL when absent. */
const char *mock_meta(const mock_notif_t *m, const char *key);
/* The dispatched value with this type and type_instance, or NULL. */
const mock_value_t *mock_find(const char *type, const char *type_instance);

/* An oconfig item "key value" with one string, number or boolean value. */
oconfig_item_t *mock_config_string(const char *key, const char *value);
oconfig_item_t *mock_config_number(const char *key, double value);
oconfig_item_t *mock_config_strings(const char *key, int num,
                                    const char *const *values);
void mock_config_free(oconfig_item_t *ci);

#endif
