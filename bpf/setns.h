/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The one header shared by the BPF program and the collectd plugin.
 * Constants and fixed-size fields only: no libbpf, vmlinux or libc include,
 * so both compilers see the same layout.
 */
#ifndef SETNS_H
#define SETNS_H

/* CLONE_NEW* values from the uapi <linux/sched.h>; they are ABI. */
#define SETNS_CLONE_NEWTIME 0x00000080
#define SETNS_CLONE_NEWNS 0x00020000
#define SETNS_CLONE_NEWCGROUP 0x02000000
#define SETNS_CLONE_NEWUTS 0x04000000
#define SETNS_CLONE_NEWIPC 0x08000000
#define SETNS_CLONE_NEWUSER 0x10000000
#define SETNS_CLONE_NEWPID 0x20000000
#define SETNS_CLONE_NEWNET 0x40000000

/* Slots of the per-CPU "counts" map: one per namespace type, in the order
 * the plugin reports them, then the totals the plugin reports, then what
 * only the program itself reads. */
enum setns_slot {
	SETNS_SLOT_NET,
	SETNS_SLOT_MNT,
	SETNS_SLOT_PID,
	SETNS_SLOT_UTS,
	SETNS_SLOT_IPC,
	SETNS_SLOT_USER,
	SETNS_SLOT_CGROUP,
	SETNS_SLOT_TIME,
	SETNS_NS_TYPES,
	SETNS_SLOT_FAILED = SETNS_NS_TYPES, /* every failed call */
	SETNS_SLOT_EVENTS_LOST,	  /* events the ring buffer had no room for */
	SETNS_SLOT_EVENTS_PAUSED, /* events not sent: the limit was reached */
	SETNS_SLOT_SESSIONS_DROPPED,  /* exec sessions not followed: full */
	SETNS_SLOT_SESSION_PROCS_DROPPED, /* processes left out of one */
	SETNS_SLOT_SESSION_EVENTS_LOST,	  /* its ring buffer had no room */
	SETNS_SLOTS_REPORTED,	  /* the slots above are read every interval */
	SETNS_SLOT_EVENTS_SENT = SETNS_SLOTS_REPORTED, /* paces the wakeups */
	SETNS_SLOTS,
};

/*
 * The namespace types, one home for both sides: X(slot, name, flag,
 * flag_name). The name is that of the /proc/PID/ns/ entry, except "mnt"
 * for CLONE_NEWNS, which is what every user knows it by.
 */
#define SETNS_NS_TABLE(X)                                                      \
	X(SETNS_SLOT_NET, "net", SETNS_CLONE_NEWNET, "CLONE_NEWNET")           \
	X(SETNS_SLOT_MNT, "mnt", SETNS_CLONE_NEWNS, "CLONE_NEWNS")             \
	X(SETNS_SLOT_PID, "pid", SETNS_CLONE_NEWPID, "CLONE_NEWPID")           \
	X(SETNS_SLOT_UTS, "uts", SETNS_CLONE_NEWUTS, "CLONE_NEWUTS")           \
	X(SETNS_SLOT_IPC, "ipc", SETNS_CLONE_NEWIPC, "CLONE_NEWIPC")           \
	X(SETNS_SLOT_USER, "user", SETNS_CLONE_NEWUSER, "CLONE_NEWUSER")       \
	X(SETNS_SLOT_CGROUP, "cgroup", SETNS_CLONE_NEWCGROUP,                  \
	  "CLONE_NEWCGROUP")                                                   \
	X(SETNS_SLOT_TIME, "time", SETNS_CLONE_NEWTIME, "CLONE_NEWTIME")

/* Every CLONE_NEW* flag of the table. */
#define SETNS_NS_FLAG_OR_(slot, name, flag, flag_name) | (flag)
#define SETNS_NS_ALL_FLAGS (0 SETNS_NS_TABLE(SETNS_NS_FLAG_OR_))

/* Slots of the per-CPU "errnos" map, indexed by errno. Errno values the
 * kernel can return to user space are below 512 (the ERESTART* family
 * starts there and never leaves the kernel); slot 0 holds anything else. */
#define SETNS_ERRNO_SLOTS 512

/* Distinct comms the per-process map counts before its overflow row. */
#define SETNS_PROCS_MAX 1024

#define SETNS_COMM_LEN 16
/* The file name of the caller's executable, from its mm's exe_file: long
 * enough for runc's memfd copy of itself, "memfd:runc_cloned:/proc/self/exe". */
#define SETNS_EXE_LEN 48
/* The names of the caller's cgroup v2 and of its parent, at the call:
 * "docker-<64 hex>.scope", "cri-containerd-<64 hex>.scope" fit. */
#define SETNS_CGROUP_NAME_LEN 96
/* The caller's parent, grandparent, ... as far as this many. */
#define SETNS_ANCESTORS 4

/* An ancestor as the kernel knows it: its comm, which it chooses, and its
 * executable's file name, which only the file system gives. */
struct setns_ancestor {
	unsigned int pid; /* 0: no more ancestors */
	char comm[SETNS_COMM_LEN];
	char exe[SETNS_EXE_LEN]; /* "" for a task without an mm */
};

/* One per setns call, sent only when notifications are on. Namespaces are
 * identified by their nsfs inode number, as in /proc/PID/ns/, indexed by
 * slot; pid and time are the *_for_children namespaces setns changes. */
struct setns_event {
	unsigned long long ts_ns;     /* CLOCK_MONOTONIC at syscall exit */
	unsigned long long cgroup_id; /* the caller's cgroup v2 id */
	unsigned int pid;	      /* thread group id */
	unsigned int tid;
	unsigned int ppid;
	unsigned int uid;
	unsigned int gid;
	int fd;
	int nstype;	    /* the flags as passed */
	int ret;	    /* 0, or minus the errno */
	unsigned int types; /* CLONE_NEW* joined, or asked for on failure */
	unsigned int ns_old[SETNS_NS_TYPES]; /* 0 when entry was not seen */
	unsigned int ns_new[SETNS_NS_TYPES];
	char comm[SETNS_COMM_LEN]; /* any bytes; NUL-terminated */
	char exe[SETNS_EXE_LEN]; /* any bytes; NUL-terminated, "" if none */
	char cgroup_leaf[SETNS_CGROUP_NAME_LEN]; /* any bytes; NUL-terminated */
	char cgroup_parent[SETNS_CGROUP_NAME_LEN];
	struct setns_ancestor ancestors[SETNS_ANCESTORS];
	/* The caller's root directory after the call (setns into a mount
	 * namespace moves it to that namespace's root): its device, as the
	 * kernel numbers it (major << 20 | minor), and inode. The host's root
	 * reached from a container is an escape, whoever lives there. */
	unsigned int root_dev;
	unsigned long long root_ino;
	/* The exec session the caller is in after the call (ExecSessions):
	 * its first join opens one; 0 when none is followed. */
	unsigned long long session;
};

/* ExecSessions: what the processes of a session did, each event on its
 * own ring buffer. A session is every process the joining process forks
 * from its first join on; it ends when the last of them exits. */
#define SETNS_SESSION_ARGS_LEN 256
#define SETNS_SESSION_PROCS_MAX 4096 /* processes one session counts in */

enum setns_session_event_type {
	SETNS_SESSION_EXEC = 1, /* a process of the session ran a program */
	SETNS_SESSION_END,	/* its last process exited */
};

struct setns_session_event {
	unsigned long long ts_ns; /* CLOCK_MONOTONIC */
	unsigned long long session;
	unsigned int type; /* enum setns_session_event_type */
	unsigned int pid;
	/* END: how long, the first process's wait status (-1 unknown), the
	 * processes counted in and left out, the commands sent and not */
	int exit_status;
	unsigned long long duration_ns;
	unsigned int procs;
	unsigned int procs_dropped;
	unsigned int commands;
	unsigned int commands_dropped;
	/* EXEC: its argv, each argument NUL-terminated, cut at the end */
	unsigned int args_len;
	char args[SETNS_SESSION_ARGS_LEN];
};

/* Key of the per-process counts: the caller's comm, or overflow 1 (and an
 * empty comm) for every process once the map is full. */
struct setns_proc_key {
	char comm[SETNS_COMM_LEN];
	unsigned int overflow;
};

#endif /* SETNS_H */
