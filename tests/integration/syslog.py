#!/usr/bin/python3
# setns-collectd - tests/integration/syslog.py SOCKET FILE
#
# A syslog daemon for the tests, where the machine has none: receives what
# syslog(3) sends to SOCKET (datagrams, as glibc sends them to /dev/log)
# and appends each to FILE as one line, at once. Removes SOCKET on SIGTERM.
import os
import signal
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
os.chmod(path, 0o666)


def stop(*_):
    os.unlink(path)
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
with open(out, "a", buffering=1) as f:
    while True:
        line = sock.recv(65536).decode("utf-8", "backslashreplace")
        f.write(line.rstrip("\n").replace("\n", "\\n") + "\n")
