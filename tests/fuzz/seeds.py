#!/usr/bin/python3
# setns-collectd - tests/fuzz/seeds.py
#
# Writes the seed corpus of each harness, tests/fuzz/corpus/NAME/, in the
# input format its harness reads (see the comment at the top of
# tests/fuzz/fuzz_NAME.c): real-looking cgroup paths and /proc files,
# config blocks, the events of docker exec, nsenter, ip netns, an escape
# and failures. Run it again after changing a format; the files are
# committed, so that a fresh clone fuzzes from them.
import os
import struct
import sys

TOP = os.path.dirname(os.path.abspath(__file__))
ID = "3f2a9c1e4b5d6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8"
ID2 = "8e1d0c2b3a495867f7e6d5c4b3a2918079685746352413f2e1d0c9b8a7968574"
UID = "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9"
PATHS = [
    "/",
    f"/docker/{ID}",
    f"/system.slice/docker-{ID}.scope",
    f"/system.slice/containerd.service/kubepods-besteffort-pod{UID.replace('-', '_')}.slice:cri-containerd:{ID}",
    f"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod{UID.replace('-', '_')}.slice/cri-containerd-{ID}.scope",
    f"/kubepods/besteffort/pod{UID}/{ID}",
    f"/kubepods.slice/kubepods-pod{UID.replace('-', '_')}.slice/crio-{ID}.scope",
    f"/kubepods.slice/kubepods-pod{UID.replace('-', '_')}.slice/crio-conmon-{ID}.scope",
    f"/libpod_parent/{ID2}/libpod-{ID}",
    f"/machine.slice/machine-libpod_pod_{ID2}.slice/libpod-{ID}.scope",
    f"/machine.slice/libpod-conmon-{ID}.scope",
    f"/user.slice/user-0.slice/session-3.scope",
    f"/system.slice/docker-{ID}.scope/init.scope",
    f"/docker/{ID[:63]}",
    f"/docker/{ID}0",
    "/lxc.payload.xc1",
    "/lxc.payload/web-1",
    "/lxc.monitor.xc1",
    "/machine.slice/machine-web\\x2d1.scope",
]
CONFIG_KEYS = ["AttachMode", "Notifications", "NotificationSeverity",
               "NotifyFailures", "Process", "IgnoreSelected", "NamespaceType",
               "Activity", "MaxNotificationsPerInterval", "CoalesceWindow",
               "ReportByProcess", "MaxProcesses", "ContainerNames", "DockerDataRoot",
               "ContainerdState", "ContainersStorage", "ContainersRunRoot",
               "ExecSessions", "MaxSessionCommands"]


def write(name, seeds):
    d = os.path.join(TOP, "corpus", name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.unlink(os.path.join(d, f))
    for i, s in enumerate(seeds):
        with open(os.path.join(d, f"seed-{i:02d}"), "wb") as f:
            f.write(s)


def escape():
    names = [b"nsenter", b"runc:[2:INIT]", b"a.b c/d", b"\xe2\x98\x83" * 5,
             b"", b"back\\slash", b"tab\there\nnl", b"x,y[1]", b"0123456789abcde"]
    return [bytes([size, which]) + n for n in names
            for size, which in ((255, 0), (16, 1), (64, 2))]


def ids():
    return [bytes([64]) + p.encode() for p in PATHS] + [bytes([30]) + PATHS[5].encode()]


def cgroup():
    v2 = [f"0::{p}\n" for p in PATHS]
    hybrid = "".join(f"{i}:{c}:/docker/{ID}\n" for i, c in enumerate(
        ["cpuset", "cpu,cpuacct", "blkio", "memory", "devices", "freezer",
         "net_cls,net_prio", "perf_event", "hugetlb", "pids", "rdma", "misc"], 1))
    hybrid += "0::/\n"
    forged = f"0::/evil\n0::/docker/{ID}\n"
    return ([bytes([1, 255]) + s.encode() for s in v2] +
            [bytes([13, 255]) + hybrid.encode(), bytes([1, 255]) + forged.encode(),
             bytes([2, 40]) + forged.encode(), bytes([13, 20]) + hybrid.encode()])


def cfg_value(v):
    if isinstance(v, bool):
        return bytes([2, int(v)])
    if isinstance(v, (int, float)):
        if isinstance(v, int) and 0 <= v < 64:
            return bytes([1, 2 * v])
        return bytes([1, 255]) + struct.pack("<d", v)
    return bytes([0]) + v.encode() + b"\0"


def cfg_block(lines):
    out = bytes([len(lines)])
    for key, values in lines:
        out += bytes([CONFIG_KEYS.index(key)]) if key in CONFIG_KEYS else bytes([255]) + key.encode() + b"\0"
        out += bytes([{0: 0, 1: 1, 2: 6, 3: 7}[len(values)]])
        for v in values:
            out += cfg_value(v)
    return out


def config():
    blocks = [
        [[("AttachMode", ["auto"]), ("Notifications", [True]),
          ("NotificationSeverity", ["warning"]), ("NotifyFailures", [False]),
          ("MaxNotificationsPerInterval", [100]), ("CoalesceWindow", [100]),
          ("ReportByProcess", [False]), ("MaxProcesses", [64])]],
        [[("Process", ["nsenter"]), ("Process", ["/^runc/"]), ("IgnoreSelected", ["true"])],
         [("NamespaceType", ["net"]), ("NamespaceType", ["mnt"]), ("Activity", ["escape"])]],
        [[("AttachMode", ["uprobe"])]],
        [[("Process", ["/[a-/"])]],
        [[("MaxNotificationsPerInterval", [1000001])]],
        [[("CoalesceWindow", [0.5])], [("Bogus", ["x"])]],
        [[("Notifications", ["yes", "no"])], [], [("MaxProcesses", [1024])]],
        [[("NotificationSeverity", [4])], [("Activity", ["failed"])]],
        [[("Process", [""]), ("NamespaceType", [True])]],
        [[("ContainerNames", [True]), ("DockerDataRoot", ["/srv/docker"]),
          ("ContainerdState", ["run/containerd"]), ("ContainersStorage", ["/" + "x" * 300])]],
        [[("ExecSessions", [True]), ("MaxSessionCommands", [256])], [("MaxSessionCommands", [0])]],
    ]
    return [bytes([len(b) - 1]) + b"".join(cfg_block(x) for x in b) + b"runc\0" for b in blocks]


SLOTS = ["net", "mnt", "pid", "uts", "ipc", "user", "cgroup", "time"]
FLAGS = [0x40000000, 0x00020000, 0x20000000, 0x04000000, 0x08000000,
         0x10000000, 0x02000000, 0x00000080]


def event(slot=None, ret=0, pid=1, dt=10, comm=b"nsenter", exe=b"nsenter",
          leaf=b"session-3.scope", parent=b"user-0.slice", ancestors=(),
          fd=3, nstype=None, old=1, new=2, types=None, rest=1):
    """One struct setns_event (bpf/setns.h), 656 bytes."""
    t = FLAGS[SLOTS.index(slot)] if slot else 0
    types = t if types is None else types
    nstype = t if nstype is None else nstype
    # a failure's ret is 0x40000000 | errno, as the harness reads it
    ret = 0x40000000 | -ret if ret < 0 else ret
    e = struct.pack("<QQ5Ii3I", dt, 0, pid, pid, 100, 0, 0, fd, nstype & 0xffffffff, ret, types)
    # the types joined go from old to new; the others stay in rest
    joined = [types & f for f in FLAGS]
    e += struct.pack("<8I", *[old if j else rest for j in joined])
    e += struct.pack("<8I", *[new if j else rest for j in joined])
    e += comm.ljust(16, b"\0")[:16] + exe.ljust(48, b"\0")[:48]
    e += leaf.ljust(96, b"\0")[:96] + parent.ljust(96, b"\0")[:96]
    # ancestors: (pid, comm) or (pid, comm, exe); the exe is the comm
    # unless given
    anc = [a if len(a) == 3 else (a[0], a[1], a[1]) for a in ancestors]
    anc += [(0, b"", b"")] * (4 - len(anc))
    for apid, acomm, aexe in anc:
        e += struct.pack("<I", apid) + acomm.ljust(16, b"\0")[:16] + aexe.ljust(48, b"\0")[:48]
    e += struct.pack("<IQ", 0, 0)  # root_dev, root_ino: not the host's
    assert len(e) == 656
    return e


def events():
    # settings: flags (1: failures), window (101 ms), limit byte (16),
    # then the host's inodes: inode() keeps b % 4, so 1 is the host's
    head = bytes([1, 101, 15]) + bytes([1] * 8)
    scope = f"docker-{ID}.scope".encode()
    runc = [(4100, b"runc"), (4000, b"containerd-shim", b"containerd-shim-runc-v2"),
            (1, b"systemd")]
    docker_exec = b"".join(bytes([0]) + event(s, pid=4, comm=b"runc:[1:CHILD]", exe=b"runc",
                                              ancestors=runc, old=1, new=2, dt=1)
                           for s in ["ipc", "uts", "net", "pid", "mnt"])
    escape = bytes([8]) + event("mnt", pid=5, comm=b"sh", exe=b"busybox", leaf=scope,
                                parent=b"system.slice", old=2, new=1, rest=2)
    netns = bytes([0]) + event("net", comm=b"ip", exe=b"ip", old=1, new=3) + \
        bytes([0]) + event("net", comm=b"ip", exe=b"ip", old=3, new=1, dt=5)
    failed = bytes([0]) + event("net", ret=-1, fd=-1) + bytes([0]) + event(None, ret=-9, fd=99, nstype=0, types=0)
    pidfd = bytes([0x10]) + event(None, types=FLAGS[0] | FLAGS[3] | FLAGS[4],
                                  nstype=FLAGS[0] | FLAGS[3] | FLAGS[4], comm=b"pidfd-join")
    flood = b"".join(bytes([0]) + event("net", pid=6, comm=b"flood", dt=1) for _ in range(8)) + bytes([6, 7, 200])
    hostile = bytes([0]) + event("net", comm=b"a.b c/d\xff\n", exe=b"\x01\x02evil\\",
                                 leaf=b"x\ny", parent=b"docker\x7f", ancestors=[(7, b"a,b[1]")])
    return [head + x for x in (docker_exec, escape, netns, failed, pidfd, flood, hostile,
                               docker_exec + bytes([7, 255]) + escape + netns)] + \
        [  # types, activities, an ignored Process filter, grouping off, limit 4
            bytes([16 | 32 | 2 | 4, 0, 0xff, 0xff, 0xff, 0x7f, 0x3f, 3]) + bytes([1] * 8) + docker_exec]


def runtime():
    """A parser's number, then a file as the runtimes write them."""
    import json
    docker = {"ID": ID, "Name": "/web-1", "Config": {"Image": "nginx:1.25", "Env": ["A=1"]},
              "State": {"Running": True, "Pid": 1640}}
    oci = {"ociVersion": "1.0.2", "process": {"args": ["sleep", "inf"]},
           "annotations": {"io.kubernetes.cri.container-name": "app",
                           "io.kubernetes.cri.sandbox-name": "web-5d9f",
                           "io.kubernetes.cri.sandbox-namespace": "default",
                           "io.kubernetes.cri.image-name": "docker.io/library/nginx:1.25"}}
    crio = {"annotations": {"io.kubernetes.container.name": "app",
                            "io.kubernetes.pod.name": "web-5d9f",
                            "io.kubernetes.pod.namespace": "default",
                            "io.kubernetes.cri-o.ImageName": "nginx:1.25"}}
    meta = json.dumps({"image-name": "localhost/ldbb:latest", "name": "idtest"})
    podman = [{"id": ID2, "names": ["other"], "metadata": "{}"},
              {"id": ID, "names": ["idtest"], "image": ID2, "metadata": meta}]
    hostile = {"Name": "/a\u0000b\"\n\u00ff", "Config": {"Image": "x" * 400}}
    return [bytes([0]) + json.dumps(docker).encode(), bytes([1]) + json.dumps(oci).encode(),
            bytes([1]) + json.dumps(crio).encode(), bytes([2]) + json.dumps(podman).encode(),
            bytes([0]) + json.dumps(hostile).encode(), bytes([1]) + b"[" * 40 + b"]" * 40,
            bytes([2]) + b'[{"id":"' + ID.encode() + b'","metadata":"' + b"[" * 40 + b'"}]']


if __name__ == "__main__":
    for name, make in (("escape", escape), ("ids", ids), ("cgroup", cgroup),
                       ("config", config), ("events", events), ("runtime", runtime)):
        write(name, make())
    sys.exit(0)
