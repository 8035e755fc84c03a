/**
 * setns-collectd - tests/test_sessions.c
 *
 * Exec sessions on the plugin's side, from the program's events, without
 * a kernel: a session's end before or after its join is judged, the
 * commands it ran, a discarded session, two ends of one session, and the
 * table's bound.
 */
#include "sessions.c"

#include "mock_plugin.h"
#include "testing.h"

static const struct container_names none, web = {.name = "web-1",
                                                 .image = "nginx:1.25",
                                                 .pod_name = "web-5d9f",
                                                 .pod_namespace = "default"};
static const struct session_origin origin = {.activity = "exec",
                                             .pid = 4242,
                                             .uid = 0,
                                             .comm = "runc:[1:CHILD]",
                                             .container_id = "",
                                             .container = &none,
                                             .target_container_id = "abc",
                                             .target = &web};

static void start(void) {
  memset(table, 0, sizeof(table));
  dropped = 0;
  on = true; /* as sessions_open with ExecSessions, without the maps */
  mock_reset();
}

static void exec_event(uint64_t id, const char *argv, size_t len) {
  struct setns_session_event ev = {
      .session = id, .type = SETNS_SESSION_EXEC, .args_len = (unsigned)len};

  memcpy(ev.args, argv, len);
  on_event(NULL, &ev, sizeof(ev));
}

static void end_event(uint64_t id, int status) {
  struct setns_session_event ev = {.session = id,
                                   .type = SETNS_SESSION_END,
                                   .exit_status = status,
                                   .duration_ns = 73500000000ULL,
                                   .procs = 14,
                                   .commands = 3,
                                   .commands_dropped = 2};

  on_event(NULL, &ev, sizeof(ev));
}

static const char *meta(const char *key) {
  const char *v = mock_meta(&mock_notifs[mock_notifs_num - 1], key);
  return v ? v : "(absent)";
}

DEF_TEST(ended_after_judged) {
  start();
  sessions_judged(0xabc, true, &origin);
  exec_event(0xabc, "sh\0-c\0ls /; vi\0", 15);
  exec_event(0xabc, "ls\0/\0", 5);
  exec_event(0xabc, "cat\0/etc/passwd\0", 16);
  EXPECT_EQ_INT(0, mock_notifs_num);
  end_event(0xabc, 0);
  EXPECT_EQ_INT(1, mock_notifs_num);
  EXPECT_EQ_STR("session abc ended after 73.5 s: 14 processes, exit 0; ran "
                "sh -c ls /; vi, ls /, cat /etc/passwd, ...",
                mock_notifs[0].n.message);
  EXPECT_EQ_INT(NOTIF_OKAY, mock_notifs[0].n.severity);
  EXPECT_EQ_STR("session", mock_notifs[0].n.type_instance);
  EXPECT_EQ_STR("abc", meta("session"));
  EXPECT_EQ_STR("73500", meta("duration_ms"));
  EXPECT_EQ_STR("0", meta("exit_status"));
  EXPECT_EQ_STR("14", meta("processes"));
  EXPECT_EQ_STR("2", meta("commands_dropped"));
  EXPECT_EQ_STR("exec", meta("joined_activity"));
  EXPECT_EQ_STR("web-1", meta("target_container_name"));
  EXPECT_EQ_STR("default", meta("target_pod_namespace"));
  /* a second end of the same session (two last exits at once): nothing */
  end_event(0xabc, 0);
  EXPECT_EQ_INT(1, mock_notifs_num);
  return 0;
}

/* Shorter than the coalesce window: its end comes first, and waits. */
DEF_TEST(ended_before_judged) {
  start();
  exec_event(0x77, "true\0", 5);
  end_event(0x77, 9); /* killed by SIGKILL */
  EXPECT_EQ_INT(0, mock_notifs_num);
  sessions_judged(0x77, true, &origin);
  EXPECT_EQ_INT(1, mock_notifs_num);
  EXPECT_EQ_STR("137", meta("exit_status"));
  OK(strstr(mock_notifs[0].n.message, "killed by signal 9; ran true") != NULL);
  OK(entry_find(0x77) == NULL);
  return 0;
}

/* A start or plumbing: no end is ever said. */
DEF_TEST(discarded) {
  start();
  exec_event(0x88, "runc\0init\0", 10);
  sessions_judged(0x88, false, &origin);
  end_event(0x88, 0);
  EXPECT_EQ_INT(0, mock_notifs_num);
  /* an unjudged entry is forgotten after its wait */
  entry_find(0x88)->seen_ns -= SESSION_WAIT_NS + 1;
  expire();
  OK(entry_find(0x88) == NULL);
  return 0;
}

/* Hostile argv: escaped, cut; the list's room is bounded. */
DEF_TEST(commands_bounded) {
  char argv[SETNS_SESSION_ARGS_LEN];

  start();
  sessions_judged(0x99, true, &origin);
  memset(argv, 'a', sizeof(argv));
  argv[3] = '\n';
  argv[4] = ',';
  for (int i = 0; i < 20; i++)
    exec_event(0x99, argv, sizeof(argv));
  end_event(0x99, 0);
  EXPECT_EQ_INT(1, mock_notifs_num);
  OK(strncmp(meta("commands"), "aaa\\x0a\\x2caaa", 14) == 0);
  OK(strlen(meta("commands")) < COMMANDS_LEN);
  OK(atoi(meta("commands_dropped")) > 2); /* the kernel's 2, and the cut */
  return 0;
}

/* A command line cut at its limit is cut between escapes: bytes that
 * escape to \xNN right across the limit leave none half written. */
DEF_TEST(command_cut_between_escapes) {
  char argv[SETNS_SESSION_ARGS_LEN];
  const char *c;
  size_t n;

  start();
  sessions_judged(0x77, true, &origin);
  memset(argv, 0x01, sizeof(argv)); /* each escaped to 4 bytes */
  argv[0] = 'x'; /* two bytes ahead: the limit falls inside an escape */
  argv[1] = 'y';
  exec_event(0x77, argv, sizeof(argv));
  end_event(0x77, 0);
  EXPECT_EQ_INT(1, mock_notifs_num);
  c = meta("commands");
  n = strlen(c);
  OK(n > 3 && strcmp(c + n - 3, "...") == 0);
  /* "xy", then whole \x01 escapes only */
  OK((n - 3 - 2) % 4 == 0);
  for (size_t i = 2; i + 3 < n; i += 4)
    OK(strncmp(c + i, "\\x01", 4) == 0);
  return 0;
}

DEF_TEST(table_bound) {
  start();
  for (uint64_t id = 1; id <= TABLE_MAX + 10; id++)
    exec_event(id, "x\0", 2);
  EXPECT_EQ_UINT64(10, sessions_dropped());
  return 0;
}

int main(void) {
  RUN_TEST(ended_after_judged);
  RUN_TEST(ended_before_judged);
  RUN_TEST(discarded);
  RUN_TEST(commands_bounded);
  RUN_TEST(command_cut_between_escapes);
  RUN_TEST(table_bound);
  END_TEST;
}
