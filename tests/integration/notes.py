#!/usr/bin/python3
# setns-collectd - tests/integration/notes.py
#
# Queries the JSON lines notify_json.py wrote:
#
#   notes.py FILE count [FILTER]...        how many notifications match
#   notes.py FILE get FIELD [FILTER]...    FIELD of the last one that matches
#   notes.py FILE check                    every line is JSON with the fields
#   notes.py FILE list FIELD...            those fields of each, one a line
#   notes.py FILE fields FIELD... -- [FILTER]...
#                                          those fields of the last one that
#                                          matches, each ended by a NUL
#
# FIELD and the filters name a notification field (severity, message,
# type_instance...) or a meta key (pid, comm, joined...). A filter is
# KEY=VALUE (equal as strings) or KEY~REGEX (re.search).
#
# The plugin's own notification of its attach mode (type_instance
# attach_mode) is left out unless a filter names type_instance: the
# queries are about joins.
import json
import re
import sys

FIELDS = ("severity", "time", "host", "plugin", "type", "type_instance",
          "message", "meta")


def field(note, key):
    value = note[key] if key in note else note["meta"].get(key)
    return "" if value is None else str(value)


def matches(note, filters):
    for f in filters:
        key, op, want = re.match(r"([^=~]+)([=~])(.*)", f).groups()
        got = field(note, key)
        if (op == "=" and got != want) or (op == "~" and not re.search(want, got)):
            return False
    return True


def main(path, command, *args):
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        lines = []
    notes = [json.loads(line) for line in lines]
    if command == "get":
        fields, filters = args[:1], args[1:]
    elif command == "fields":
        sep = args.index("--")
        fields, filters = args[:sep], args[sep + 1:]
    else:
        fields, filters = args, args
    if command != "check" and not any(a.startswith("type_instance") for a in filters):
        notes = [n for n in notes if n.get("type_instance") != "attach_mode"]
    if command == "check":
        for note in notes:
            missing = [k for k in FIELDS if k not in note]
            if missing:
                sys.exit("notification without %s: %s" % (missing, note))
        print(len(notes))
    elif command == "count":
        print(sum(1 for n in notes if matches(n, filters)))
    elif command == "list":
        for n in notes:
            print(" ".join(field(n, k) for k in fields))
    elif command in ("get", "fields"):
        found = [n for n in notes if matches(n, filters)]
        values = [field(found[-1], k) if found else "" for k in fields]
        if command == "get":
            print(values[0])
        else:
            sys.stdout.write("".join(v + "\0" for v in values))


main(*sys.argv[1:])
