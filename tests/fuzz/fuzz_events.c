/**
 * setns-collectd - tests/fuzz/fuzz_events.c
 *
 * The event thread's side without a kernel: struct setns_event records
 * made from the fuzz input reach event_handle through the ring buffer's
 * callback, or the perf buffer's at any alignment, mixed with the window
 * closing (groups_expire) and collectd's reads (budget_interval), under
 * settings from the input. Whatever the events say:
 * - every notification is one line of printable ASCII, and so is every
 *   meta value, however the kernel's strings (comm, exe, cgroup names,
 *   ancestors and their executables) were made;
 * - no interval has more notifications than MaxNotificationsPerInterval;
 * - a group holds each namespace type once, and its types are its joins';
 *   a failure is never left in a group, nor anything when grouping is off;
 * - nothing is left grouped after the last flush, and nothing leaks.
 * The kernel NUL-terminates every string it sends (bpf_get_current_comm,
 * bpf_probe_read_kernel_str): so do the records here, and nothing else of
 * them is trusted.
 */
#include "compat.c" /* the buffers' callbacks */
#include "events.c" /* the other parts come from the library */

#include "fuzz.h"
#include "mock_plugin.h"

#define MS 1000000ULL
#define ALL_TYPES                                                              \
  (SETNS_CLONE_NEWNET | SETNS_CLONE_NEWNS | SETNS_CLONE_NEWPID |               \
   SETNS_CLONE_NEWUTS | SETNS_CLONE_NEWIPC | SETNS_CLONE_NEWUSER |             \
   SETNS_CLONE_NEWCGROUP | SETNS_CLONE_NEWTIME)
/* Namespace inodes from a few values, so that old, new and the host's
 * meet; far above any real inode, so that no process lives in them. */
static uint32_t inode(uint32_t b) {
  return b % 4 == 0 ? 0 : 4000000000u + b % 4;
}

static int sent_this_interval;
static struct settings set; /* handed to events.c and budget.c */

static void check_notification(const mock_notif_t *m) {
  const notification_t *n = &m->n;

  FUZZ_CHECK(memchr(n->message, '\0', sizeof(n->message)) != NULL,
             "message not terminated");
  FUZZ_CHECK(fuzz_printable(n->message), "message \"%s\"", n->message);
  FUZZ_CHECK(n->severity == NOTIF_OKAY || n->severity == NOTIF_WARNING ||
                 n->severity == NOTIF_FAILURE,
             "severity %d", n->severity);
  FUZZ_CHECK(strcmp(n->type_instance, "any") == 0 ||
                 ns_name_slot(n->type_instance) >= 0,
             "type_instance \"%s\"", n->type_instance);
  for (int i = 0; i < m->meta_num; i++)
    FUZZ_CHECK(fuzz_printable(m->meta_value[i]), "meta %s \"%s\"",
               m->meta_key[i], m->meta_value[i]);
}

/* The notifications since the last look, then room for more. Escapes
 * pass any limit: the others keep within it. */
static void check_dispatched(void) {
  for (int i = 0; i < mock_notifs_num; i++) {
    const char *activity = mock_meta(mock_notifs + i, "activity");

    check_notification(mock_notifs + i);
    if (activity == NULL || strcmp(activity, "escape") != 0)
      sent_this_interval++;
  }
  FUZZ_CHECK(sent_this_interval <= set.max_per_interval,
             "%d notifications in an interval, limit %d", sent_this_interval,
             set.max_per_interval);
  mock_reset();
}

static void check_groups(void) {
  for (int i = 0; i < GROUPS_MAX; i++) {
    const struct call_group *g = groups + i;
    unsigned int types = 0;

    if (!g->used)
      continue;
    FUZZ_CHECK(g->first.ret >= 0, "a failure left in a group");
    FUZZ_CHECK(set.window_ns > 0, "a group with CoalesceWindow 0");
    FUZZ_CHECK(g->njoins >= 0 && g->njoins <= SETNS_NS_TYPES, "%d joins",
               g->njoins);
    for (int k = 0; k < g->njoins; k++) {
      unsigned int flag = ns_slot_flag((unsigned int)g->joins[k].slot);

      FUZZ_CHECK(flag != 0 && !(types & flag), "slot %d twice or none",
                 g->joins[k].slot);
      types |= flag;
    }
    FUZZ_CHECK(types == g->types, "joins %#x, types %#x", types, g->types);
  }
}

static void settings_from(struct fuzz_input *in) {
  uint8_t flags = fuzz_u8(in), window = fuzz_u8(in);

  set.failures = flags & 1;
  set.processes.ignore_selected = flags & 2;
  if (flags & 4)
    name_filter_add(&set.processes, "/^(runc|ns)/", NULL, 0);
  if (flags & 8)
    name_filter_add(&set.processes, "nsenter", NULL, 0);
  if (flags & 16)
    set.types = fuzz_u32(in) & ALL_TYPES;
  if (flags & 32)
    set.activities = fuzz_u8(in) & ((1U << ACT_FAILED) - 1);
  set.window_ns = window % 4 == 0 ? 0 : (uint64_t)window * MS;
  set.max_per_interval = fuzz_u8(in) % 16 + 1;
  for (int slot = 0; slot < SETNS_NS_TYPES; slot++)
    host_ns[slot] = inode(fuzz_u8(in));
}

/* A record as the kernel could send it: strings terminated, a few pids
 * (so that calls group), inodes and timestamps from small ranges. */
static void event_from(struct fuzz_input *in, struct setns_event *e,
                       uint64_t *now) {
  fuzz_bytes(in, e, sizeof(*e));
  *now += (uint64_t)(int8_t)(e->ts_ns & 0xff) * MS;
  e->ts_ns = *now;
  if (!(e->pid & 0x80000000u))
    e->pid = 4000001 + e->pid % 4;
  if (e->ret & 0x40000000)
    e->ret = -(e->ret & 0x3ff);
  else if (!(e->ret & 0x20000000))
    e->ret = 0;
  /* a join's types are the kernel's flags; a failure's, what was asked */
  if (e->ret >= 0 || !(e->types & 1))
    e->types &= ALL_TYPES;
  for (int slot = 0; slot < SETNS_NS_TYPES; slot++) {
    e->ns_old[slot] = inode(e->ns_old[slot]);
    e->ns_new[slot] = inode(e->ns_new[slot]);
  }
  e->comm[SETNS_COMM_LEN - 1] = '\0';
  e->exe[SETNS_EXE_LEN - 1] = '\0';
  e->cgroup_leaf[SETNS_CGROUP_NAME_LEN - 1] = '\0';
  e->cgroup_parent[SETNS_CGROUP_NAME_LEN - 1] = '\0';
  for (int i = 0; i < SETNS_ANCESTORS; i++) {
    e->ancestors[i].comm[SETNS_COMM_LEN - 1] = '\0';
    e->ancestors[i].exe[SETNS_EXE_LEN - 1] = '\0';
  }
}

/* Through the perf buffer's callback, which gets 4-byte aligned samples,
 * or the ring buffer's, as attach chose. */
static void deliver(const struct setns_event *e, bool perf, uint8_t offset) {
  static _Alignas(8) unsigned char sample[sizeof(*e) + 8];
  struct compat_buffer reader = {.handle = event_handle};

  if (perf) {
    memcpy(sample + offset % 8, e, sizeof(*e));
    on_perf_event(&reader, 0, sample + offset % 8, sizeof(*e));
  } else {
    on_ring_event(&reader, (void *)e, sizeof(*e));
  }
}

static void reset(void) {
  memset(groups, 0, sizeof(groups));
  name_filter_free(&set.processes);
  set = settings_defaults;
  cfg = &set;
  mock_reset();
  sent_this_interval = 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct fuzz_input in = {data, size};
  uint64_t now = 1000000 * MS, suppressed;
  struct setns_event e;

  reset();
  settings_from(&in);
  budget_open(&set, NULL); /* no program: nothing to pause */
  while (in.size > 0) {
    uint8_t op = fuzz_u8(&in);

    switch (op % 8) {
    case 6: /* collectd's read: a new interval */
      suppressed = budget_interval();
      (void)suppressed;
      sent_this_interval = 0;
      break;
    case 7: /* the thread wakes up */
      now += (uint64_t)fuzz_u8(&in) * MS;
      groups_expire(now, false);
      break;
    default:
      event_from(&in, &e, &now);
      deliver(&e, op & 8, op >> 4);
    }
    check_dispatched();
    check_groups();
  }
  groups_expire(0, true);
  check_dispatched();
  for (int i = 0; i < GROUPS_MAX; i++)
    FUZZ_CHECK(!groups[i].used, "group %d left after the last flush", i);
  name_filter_free(&set.processes);
  return 0;
}
