/**
 * setns-collectd - tests/test_events.c
 *
 * From kernel events to notifications, without a kernel: grouping over the
 * coalesce window, the filters, the rate limit, failures, the direction
 * and the severity it implies, and the strings made from kernel data.
 */
#include "events.c" /* the other parts come from the library */

#include "mock_plugin.h"
#include "testing.h"

/* Namespaces no process has: owner lookups find nobody. */
#define HOST_NET 4000000001u
#define HOST_MNT 4000000002u
#define HOST_PID 4000000003u
#define CONT_NET 4000000011u
#define CONT_MNT 4000000012u
#define CONT_PID 4000000013u
#define MS 1000000ULL
#define HOST_ROOT_DEV (254u << 20 | 1)
#define HOST_ROOT_INO 2u

/* The settings handed to events.c, notify.c and budget.c. */
static struct settings set;

static void reset(void) {
  memset(groups, 0, sizeof(groups));
  name_filter_free(&set.processes);
  set = settings_defaults;
  cfg = &set;
  budget_open(&set, NULL); /* no program: nothing to pause */
  memset(host_ns, 0, sizeof(host_ns));
  host_ns[SETNS_SLOT_NET] = HOST_NET;
  host_ns[SETNS_SLOT_MNT] = HOST_MNT;
  host_ns[SETNS_SLOT_PID] = HOST_PID;
  host_root_dev = HOST_ROOT_DEV;
  host_root_ino = HOST_ROOT_INO;
  mock_reset();
}

/* A process on the host (pid above any real one) joining one type. */
static struct setns_event event(uint32_t pid, int slot, uint64_t ms) {
  struct setns_event e = {.pid = pid,
                          .tid = pid,
                          .uid = 0,
                          .fd = 3,
                          .ts_ns = 1000000 * MS + ms * MS};

  e.types = ns_slot_flag(slot);
  e.nstype = (int)e.types;
  e.ns_old[SETNS_SLOT_NET] = HOST_NET;
  e.ns_old[SETNS_SLOT_MNT] = HOST_MNT;
  e.ns_old[SETNS_SLOT_PID] = HOST_PID;
  memcpy(e.ns_new, e.ns_old, sizeof(e.ns_new));
  e.ns_new[SETNS_SLOT_NET] = CONT_NET;
  e.ns_new[SETNS_SLOT_MNT] = CONT_MNT;
  e.ns_new[SETNS_SLOT_PID] = CONT_PID;
  snprintf(e.comm, sizeof(e.comm), "ns-joiner");
  return e;
}

static const char *meta(int i, const char *key) {
  const char *v = mock_meta(&mock_notifs[i], key);
  return v ? v : "(absent)";
}

DEF_TEST(coalesce) {
  struct {
    const char *name;
    int slots[3];
    uint64_t ms[3];
    int want_notifs;
    const char *want_joined; /* of the first notification */
  } cases[] = {
      /* runc's nsexec: several types in a row, one notification */
      {"in window",
       {SETNS_SLOT_IPC, SETNS_SLOT_NET, SETNS_SLOT_MNT},
       {0, 10, 20},
       1,
       "ipc,net,mnt"},
      /* the same type again is a new join, a new notification */
      {"repeat",
       {SETNS_SLOT_NET, SETNS_SLOT_NET, SETNS_SLOT_MNT},
       {0, 10, 20},
       2,
       "net"},
      /* the window runs from the first call */
      {"late",
       {SETNS_SLOT_NET, SETNS_SLOT_MNT, SETNS_SLOT_PID},
       {0, 150, 160},
       2,
       "net"},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## %s\n", cases[i].name);
    reset();
    for (int k = 0; k < 3; k++) {
      struct setns_event e = event(4000001, cases[i].slots[k], cases[i].ms[k]);
      event_handle(&e);
    }
    groups_expire(0, true);
    EXPECT_EQ_INT(cases[i].want_notifs, mock_notifs_num);
    EXPECT_EQ_STR(cases[i].want_joined, meta(0, "joined"));
  }
  return 0;
}

DEF_TEST(coalesce_off_and_other_processes) {
  reset();
  set.window_ns = 0;
  struct setns_event a = event(4000001, SETNS_SLOT_NET, 0);
  struct setns_event b = event(4000001, SETNS_SLOT_MNT, 1);
  struct setns_event c = event(4000002, SETNS_SLOT_PID, 2);
  event_handle(&a);
  event_handle(&b);
  event_handle(&c);
  EXPECT_EQ_INT(3, mock_notifs_num); /* CoalesceWindow 0: one per call */

  reset();
  event_handle(&a);
  event_handle(&c);
  event_handle(&b);
  groups_expire(0, true);
  EXPECT_EQ_INT(2, mock_notifs_num); /* grouped per process */
  return 0;
}

/* With every group in use, a new process flushes the oldest group, which
 * need not be the first slot. */
DEF_TEST(groups_full) {
  reset();
  for (int i = 0; i < GROUPS_MAX; i++) {
    struct setns_event e = event(4000100 + i, SETNS_SLOT_NET, GROUPS_MAX - i);
    event_handle(&e);
  }
  EXPECT_EQ_INT(0, mock_notifs_num);
  struct setns_event e = event(4000001, SETNS_SLOT_NET, 90);
  event_handle(&e);
  EXPECT_EQ_INT(1, mock_notifs_num);
  EXPECT_EQ_STR("4000163", meta(0, "pid"));
  return 0;
}

DEF_TEST(window_expiry) {
  reset();
  struct setns_event e = event(4000001, SETNS_SLOT_NET, 0);
  event_handle(&e);
  groups_expire(e.ts_ns + 99 * MS, false);
  EXPECT_EQ_INT(0, mock_notifs_num);
  groups_expire(e.ts_ns + 100 * MS, false);
  EXPECT_EQ_INT(1, mock_notifs_num);
  return 0;
}

DEF_TEST(notification_fields) {
  reset();
  struct setns_event e = event(4000001, SETNS_SLOT_NET, 0);
  e.uid = 1000;
  e.gid = 1001;
  e.ppid = 4000000;
  e.fd = 7;
  event_handle(&e);
  e = event(4000001, SETNS_SLOT_MNT, 5);
  e.nstype = 0;
  e.fd = 8;
  event_handle(&e);
  groups_expire(0, true);
  EXPECT_EQ_INT(1, mock_notifs_num);
  notification_t *n = &mock_notifs[0].n;
  EXPECT_EQ_STR("setns", n->plugin);
  EXPECT_EQ_STR("enter", n->plugin_instance); /* the activity */
  EXPECT_EQ_STR("operations", n->type);
  EXPECT_EQ_STR("net", n->type_instance);
  EXPECT_EQ_STR("mock-host", n->host);
  EXPECT_EQ_INT(NOTIF_WARNING, n->severity);
  EXPECT_EQ_STR("4000001", meta(0, "pid"));
  EXPECT_EQ_STR("1000", meta(0, "uid"));
  EXPECT_EQ_STR("1001", meta(0, "gid"));
  EXPECT_EQ_STR("4000000", meta(0, "ppid"));
  EXPECT_EQ_STR("ns-joiner", meta(0, "comm"));
  EXPECT_EQ_STR("7,8", meta(0, "fd"));
  EXPECT_EQ_STR("CLONE_NEWNET,0", meta(0, "nstype"));
  EXPECT_EQ_STR("net,mnt", meta(0, "joined"));
  EXPECT_EQ_STR("4000000001,4000000002", meta(0, "ns_inode_old"));
  EXPECT_EQ_STR("4000000011,4000000012", meta(0, "ns_inode_new"));
  EXPECT_EQ_STR("host_to_container", meta(0, "direction"));
  EXPECT_EQ_STR("", meta(0, "target_pid"));
  EXPECT_EQ_STR("", meta(0, "container_id"));
  EXPECT_EQ_STR("ok", meta(0, "result"));
  EXPECT_EQ_STR(
      "enter: ns-joiner[4000001] uid 1000 joined net,mnt namespaces from the "
      "host",
      n->message);
  return 0;
}

DEF_TEST(direction) {
  struct {
    const char *name;
    uint32_t old_net, old_mnt, old_pid, new_net;
    const char *want;
    int severity;
    const char *activity; /* also the plugin_instance */
  } cases[] = {
      {"host joins a container", HOST_NET, HOST_MNT, HOST_PID, CONT_NET,
       "host_to_container", NOTIF_WARNING, "enter"},
      {"container joins the host", CONT_NET, CONT_MNT, CONT_PID, HOST_NET,
       "container_to_host", NOTIF_FAILURE, "escape"},
      /* where nobody lives yet: a start, okay (see test_activity) */
      {"container joins another", CONT_NET, CONT_MNT, CONT_PID, CONT_NET + 9,
       "container_to_container", NOTIF_OKAY, "start"},
      /* joins that change nothing are okay */
      {"already in it", CONT_NET, HOST_MNT, HOST_PID, CONT_NET, "same",
       NOTIF_OKAY, "return"},
      /* ip netns add, CNI plugins: a host process going back */
      {"host process returns", CONT_NET, HOST_MNT, HOST_PID, HOST_NET, "same",
       NOTIF_OKAY, "return"},
      /* PrivateTmp: own mount namespace, host pid namespace */
      {"private mount ns", CONT_NET, CONT_MNT, HOST_PID, HOST_NET, "same",
       NOTIF_OKAY, "return"},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## %s\n", cases[i].name);
    reset();
    set.activities = ~0U;
    struct setns_event e = event(4000001, SETNS_SLOT_NET, 0);
    e.ns_old[SETNS_SLOT_NET] = cases[i].old_net;
    e.ns_old[SETNS_SLOT_MNT] = cases[i].old_mnt;
    e.ns_old[SETNS_SLOT_PID] = cases[i].old_pid;
    e.ns_new[SETNS_SLOT_NET] = cases[i].new_net;
    event_handle(&e);
    groups_expire(0, true);
    EXPECT_EQ_INT(1, mock_notifs_num);
    EXPECT_EQ_STR(cases[i].want, meta(0, "direction"));
    EXPECT_EQ_INT(cases[i].severity, mock_notifs[0].n.severity);
    EXPECT_EQ_STR(cases[i].activity, meta(0, "activity"));
    EXPECT_EQ_STR(cases[i].activity, mock_notifs[0].n.plugin_instance);
  }
  return 0;
}

/* From a container, a mount namespace whose root is the host's is the
 * host's side, whoever lives there: a service's private mount namespace
 * (PrivateTmp) gives the host's files as well as PID 1's does. */
DEF_TEST(host_root_escape) {
  struct {
    const char *name;
    uint32_t root_dev;
    uint64_t root_ino;
    const char *direction, *activity;
    int severity;
  } cases[] = {
      {"the host's root", HOST_ROOT_DEV, HOST_ROOT_INO, "container_to_host",
       "escape", NOTIF_FAILURE},
      {"another root on the same file system", HOST_ROOT_DEV, 4242,
       "container_to_container", "start", NOTIF_OKAY},
      {"another file system", HOST_ROOT_DEV + 1, HOST_ROOT_INO,
       "container_to_container", "start", NOTIF_OKAY},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## %s\n", cases[i].name);
    reset();
    set.activities = ~0U;
    struct setns_event e = event(4000001, SETNS_SLOT_MNT, 0);
    e.ns_old[SETNS_SLOT_NET] = CONT_NET;
    e.ns_old[SETNS_SLOT_MNT] = CONT_MNT;
    e.ns_old[SETNS_SLOT_PID] = CONT_PID;
    memcpy(e.ns_new, e.ns_old, sizeof(e.ns_new));
    e.ns_new[SETNS_SLOT_MNT] = 4000000099u; /* nobody lives there */
    e.root_dev = cases[i].root_dev;
    e.root_ino = cases[i].root_ino;
    event_handle(&e);
    groups_expire(0, true);
    EXPECT_EQ_INT(1, mock_notifs_num);
    EXPECT_EQ_STR(cases[i].direction, meta(0, "direction"));
    EXPECT_EQ_STR(cases[i].activity, meta(0, "activity"));
    EXPECT_EQ_INT(cases[i].severity, mock_notifs[0].n.severity);
  }
  return 0;
}

/* Plumbing is quiet, so it takes more than a name: the executable the
 * kernel named for an ancestor (not its comm), or, for an engine, a step
 * in and back. */
DEF_TEST(plumbing_evidence) {
  struct {
    const char *name, *exe, *parent_comm, *parent_exe;
    bool back; /* a second call back to the host's netns, 1 ms later */
    const char *activity;
  } cases[] = {
      {"a CNI plugin under podman", "bridge", "podman", "podman", false,
       "plumbing"},
      {"a CNI plugin under containerd's shim", "loopback", "containerd-shim",
       "containerd-shim-runc-v2", false, "plumbing"},
      {"nsenter named bridge, under a shell named podman", "bridge", "podman",
       "bash", false, "enter"},
      {"nsenter named bridge, from a shell", "bridge", "bash", "bash", false,
       "enter"},
      {"nsenter named podman, staying", "podman", "bash", "bash", false,
       "enter"},
      {"podman steps in and back", "podman", "bash", "bash", true, "plumbing"},
      {"nsenter named bridge steps in and back", "bridge", "bash", "bash", true,
       "enter"},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    printf("## %s\n", cases[i].name);
    reset();
    set.activities = ~0U;
    struct setns_event e = event(4000001, SETNS_SLOT_NET, 0);
    e.ns_new[SETNS_SLOT_MNT] = HOST_MNT; /* a net join alone */
    e.ns_new[SETNS_SLOT_PID] = HOST_PID;
    snprintf(e.exe, sizeof(e.exe), "%s", cases[i].exe);
    e.ancestors[0].pid = 4000000;
    snprintf(e.ancestors[0].comm, sizeof(e.ancestors[0].comm), "%s",
             cases[i].parent_comm);
    snprintf(e.ancestors[0].exe, sizeof(e.ancestors[0].exe), "%s",
             cases[i].parent_exe);
    event_handle(&e);
    if (cases[i].back) {
      struct setns_event b = e;
      b.ts_ns += MS;
      memcpy(b.ns_old, e.ns_new, sizeof(b.ns_old));
      b.ns_new[SETNS_SLOT_NET] = HOST_NET;
      event_handle(&b);
    }
    groups_expire(0, true);
    EXPECT_EQ_INT(cases[i].back ? 2 : 1, mock_notifs_num);
    EXPECT_EQ_STR(cases[i].activity, meta(0, "activity"));
    if (cases[i].back)
      EXPECT_EQ_STR("return", meta(1, "activity"));
  }
  return 0;
}

/* The notification is named after the strongest join: nsenter -a also
 * re-joins namespaces it is already in. */
DEF_TEST(primary_join) {
  reset();
  struct setns_event e = event(4000001, SETNS_SLOT_MNT, 0);
  e.ns_new[SETNS_SLOT_MNT] = HOST_MNT; /* mnt: same */
  event_handle(&e);
  e = event(4000001, SETNS_SLOT_PID, 1);
  e.ns_new[SETNS_SLOT_MNT] = HOST_MNT;
  event_handle(&e);
  groups_expire(0, true);
  EXPECT_EQ_STR("pid", mock_notifs[0].n.type_instance);
  EXPECT_EQ_STR("host_to_container", meta(0, "direction"));
  return 0;
}

DEF_TEST(failures) {
  reset();
  struct setns_event e = event(4000001, SETNS_SLOT_NET, 0);
  e.ret = -EPERM;
  event_handle(&e);
  EXPECT_EQ_INT(0, mock_notifs_num); /* NotifyFailures false */

  set.failures = true;
  event_handle(&e);
  EXPECT_EQ_INT(1, mock_notifs_num); /* at once, never grouped */
  EXPECT_EQ_STR("eperm", meta(0, "result"));
  EXPECT_EQ_STR("none", meta(0, "direction"));
  EXPECT_EQ_STR("failed", mock_notifs[0].n.plugin_instance);
  EXPECT_EQ_STR("", meta(0, "joined"));
  EXPECT_EQ_STR("net", mock_notifs[0].n.type_instance);
  EXPECT_EQ_STR(
      "failed: ns-joiner[4000001] uid 0 failed to join net namespace (fd 3, "
      "nstype CLONE_NEWNET): eperm",
      mock_notifs[0].n.message);

  e.types = 0; /* nstype 0: the kernel refused before knowing the type */
  e.nstype = 0;
  e.ret = -EBADF;
  event_handle(&e);
  EXPECT_EQ_INT(2, mock_notifs_num);
  EXPECT_EQ_STR("any", mock_notifs[1].n.type_instance);
  EXPECT_EQ_STR("ebadf", meta(1, "result"));
  return 0;
}

/* The entry hooks as the event path switches them. */
static int entry_on = 1, entry_switches;
static int fake_entry_hooks(bool on) {
  entry_on = on;
  entry_switches++;
  return 0;
}

DEF_TEST(rate_limit) {
  static volatile bool paused; /* the program's .bss flags */
  static volatile uint32_t paused_uid, seq, pause_seq;
  uint64_t suppressed;

  struct budget_kernel kernel = {.paused = &paused,
                                 .paused_uid = &paused_uid,
                                 .interval_seq = &seq,
                                 .pause_seq = &pause_seq,
                                 .entry_hooks = fake_entry_hooks};

  reset();
  set.max_per_interval = 4; /* a uid may take 2 of them */
  budget_open(&set, &kernel);
  for (uint32_t pid = 4000001; pid < 4000011; pid++) {
    struct setns_event e = event(pid, SETNS_SLOT_NET, 0);
    event_handle(&e);
  }
  groups_expire(0, true);
  EXPECT_EQ_INT(2, mock_notifs_num);
  EXPECT_EQ_INT(1, paused_uid); /* the kernel holds back uid 0's events */
  EXPECT_EQ_INT(false, paused); /* and no one else's */
  EXPECT_EQ_INT(0, entry_on);   /* without the entry hooks' cost */
  EXPECT_EQ_INT(1, entry_switches);

  /* another uid still has the other half */
  for (uint32_t pid = 4000011; pid < 4000014; pid++) {
    struct setns_event e = event(pid, SETNS_SLOT_NET, 0);
    e.uid = 1000;
    event_handle(&e);
  }
  groups_expire(0, true);
  EXPECT_EQ_INT(4, mock_notifs_num);
  EXPECT_EQ_INT(true, paused);      /* the interval's are used up */
  EXPECT_EQ_INT(1, entry_switches); /* detached once, not per call */
  suppressed = budget_interval();
  EXPECT_EQ_INT(false, paused); /* until the next interval */
  EXPECT_EQ_INT(0, paused_uid);
  EXPECT_EQ_INT(1, entry_on); /* attached again */
  EXPECT_EQ_INT(1, (int)seq);
  EXPECT_EQ_UINT64(9, suppressed);

  /* a new interval: room again; suppressed stays a running total */
  struct setns_event e = event(4000020, SETNS_SLOT_NET, 0);
  event_handle(&e);
  groups_expire(0, true);
  EXPECT_EQ_INT(5, mock_notifs_num);
  suppressed = budget_interval();
  EXPECT_EQ_UINT64(9, suppressed);
  EXPECT_EQ_INT(2, (int)seq);
  EXPECT_EQ_INT(2, entry_switches); /* nothing to attach: still on */
  budget_close();
  return 0;
}

/* No flood hides an escape: with the interval's notifications used up by
 * a uid, a container joining the host's namespaces is still notified,
 * also when the entry hook was paused and saw nothing (ns_old 0). */
DEF_TEST(escape_never_suppressed) {
  uint64_t suppressed;

  reset();
  set.max_per_interval = 2;
  for (uint32_t pid = 4000001; pid < 4000021; pid++) {
    struct setns_event e = event(pid, SETNS_SLOT_NET, 0);
    e.uid = 1000;
    event_handle(&e);
  }
  for (int unseen = 0; unseen < 2; unseen++) {
    struct setns_event e = event(4000100 + unseen, SETNS_SLOT_NET, 0);
    e.ns_old[SETNS_SLOT_NET] = CONT_NET;
    e.ns_old[SETNS_SLOT_MNT] = CONT_MNT;
    e.ns_old[SETNS_SLOT_PID] = CONT_PID;
    memcpy(e.ns_new, e.ns_old, sizeof(e.ns_new));
    e.ns_new[SETNS_SLOT_NET] = HOST_NET;
    if (unseen)
      memset(e.ns_old, 0, sizeof(e.ns_old));
    event_handle(&e);
  }
  groups_expire(0, true);
  EXPECT_EQ_INT(1 + 2, mock_notifs_num);
  EXPECT_EQ_STR("escape", meta(1, "activity"));
  EXPECT_EQ_STR("escape", meta(2, "activity"));
  EXPECT_EQ_INT(NOTIF_FAILURE, mock_notifs[2].n.severity);
  suppressed = budget_interval();
  EXPECT_EQ_UINT64(19, suppressed);
  return 0;
}

DEF_TEST(filters) {
  struct {
    const char *name;
    const char *process; /* NULL: no Process line */
    bool ignore_selected;
    unsigned int types;
    const char *comm;
    int slot;
    int want;
  } cases[] = {
      {"no filter", NULL, false, ~0U, "ns-joiner", SETNS_SLOT_NET, 1},
      {"type not selected", NULL, false, SETNS_CLONE_NEWNET, "ns-joiner",
       SETNS_SLOT_MNT, 0},
      {"type selected", NULL, false, SETNS_CLONE_NEWNET, "ns-joiner",
       SETNS_SLOT_NET, 1},
      {"name selected", "ns-joiner", false, ~0U, "ns-joiner", SETNS_SLOT_NET,
       1},
      {"name not selected", "ns-joiner", false, ~0U, "nsenter", SETNS_SLOT_NET,
       0},
      {"regex selected", "/^ns/", false, ~0U, "nsenter", SETNS_SLOT_NET, 1},
      {"regex ignored", "/^ns/", true, ~0U, "nsenter", SETNS_SLOT_NET, 0},
      {"others with ignore", "/^nsenter/", true, ~0U, "ns-joiner",
       SETNS_SLOT_NET, 1},
  };

  for (size_t i = 0; i < STATIC_ARRAY_SIZE(cases); i++) {
    char why[128];

    printf("## %s\n", cases[i].name);
    reset();
    if (cases[i].process)
      EXPECT_EQ_INT(0, name_filter_add(&set.processes, cases[i].process, why,
                                       sizeof(why)));
    set.processes.ignore_selected = cases[i].ignore_selected;
    set.types = cases[i].types;
    struct setns_event e = event(4000001, cases[i].slot, 0);
    snprintf(e.comm, sizeof(e.comm), "%s", cases[i].comm);
    event_handle(&e);
    groups_expire(0, true);
    EXPECT_EQ_INT(cases[i].want, mock_notifs_num);
  }
  name_filter_free(&set.processes);
  return 0;
}

DEF_TEST(hostile_comm) {
  reset();
  struct setns_event e = event(4000001, SETNS_SLOT_NET, 0);
  memcpy(e.comm, "\xff\x1b[1m\\a\n", 9);
  event_handle(&e);
  groups_expire(0, true);
  EXPECT_EQ_STR("\\xff\\x1b[1m\\\\a\\x0a", meta(0, "comm"));
  OK(strncmp(mock_notifs[0].n.message,
             "enter: \\xff\\x1b[1m\\\\a\\x0a[4000001] ", 35) == 0);
  return 0;
}

/* Every flag at once, and unknown bits: the nstype list is never cut. */
DEF_TEST(long_lists) {
  const char *all = "CLONE_NEWNET|CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWUTS|"
                    "CLONE_NEWIPC|CLONE_NEWUSER|CLONE_NEWCGROUP|CLONE_NEWTIME|"
                    "0x1";
  reset();
  struct setns_event e = event(4000001, SETNS_SLOT_NET, 0);
  e.types = 0;
  for (unsigned int slot = 0; slot < SETNS_NS_TYPES; slot++)
    e.types |= ns_slot_flag(slot);
  e.nstype = (int)(e.types | 0x1);
  event_handle(&e);
  groups_expire(0, true);
  EXPECT_EQ_INT(1, mock_notifs_num);
  EXPECT_EQ_STR(all, meta(0, "nstype"));
  EXPECT_EQ_STR("net,mnt,pid,uts,ipc,user,cgroup,time", meta(0, "joined"));
  return 0;
}

/* What the kernel gave as the executable's name is escaped like a comm. */
DEF_TEST(hostile_exe_and_ancestors) {
  reset();
  struct setns_event e = event(4000001, SETNS_SLOT_NET, 0);
  memcpy(e.exe, "x\nSeverity: OKAY\n\n", 19);
  e.ancestors[0].pid = 4000000;
  memcpy(e.ancestors[0].comm, "a,b[1]\n", 8);
  event_handle(&e);
  groups_expire(0, true);
  EXPECT_EQ_STR("x\\x0aSeverity: OKAY\\x0a\\x0a", meta(0, "exe"));
  EXPECT_EQ_STR("a\\x2cb\\x5b1\\x5d\\x0a[4000000]", meta(0, "ancestors"));
  return 0;
}

int main(void) {
  RUN_TEST(coalesce);
  RUN_TEST(coalesce_off_and_other_processes);
  RUN_TEST(groups_full);
  RUN_TEST(window_expiry);
  RUN_TEST(notification_fields);
  RUN_TEST(direction);
  RUN_TEST(host_root_escape);
  RUN_TEST(plumbing_evidence);
  RUN_TEST(primary_join);
  RUN_TEST(failures);
  RUN_TEST(rate_limit);
  RUN_TEST(escape_never_suppressed);
  RUN_TEST(filters);
  RUN_TEST(hostile_comm);
  RUN_TEST(long_lists);
  RUN_TEST(hostile_exe_and_ancestors);
  END_TEST;
}
