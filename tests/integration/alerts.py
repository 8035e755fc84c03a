#!/usr/bin/python3
# setns-collectd - tests/integration/alerts.py
#
# Queries alerts: those Alertmanager holds (SOURCE an http:// URL of its
# /api/v2/alerts), or those its webhooks delivered (SOURCE a file of the
# JSON bodies received, one a line, as hooks.py writes them):
#
#   alerts.py SOURCE count [FILTER]...        how many alerts match
#   alerts.py SOURCE get FIELD [FILTER]...    FIELD of the last that matches
#
# An alert's fields: each annotation by its name (summary, pid, comm...),
# each label as label.NAME, "labels" all of them as NAME=VALUE sorted by
# name and joined by spaces, "receivers" (the API's) or "receiver" (the
# webhook's), "state" (active, suppressed; firing, resolved). A filter is
# KEY=VALUE, or KEY~REGEX (re.search), as in notes.py.
import json
import re
import sys
import urllib.request


def flat(alert, receiver):
    f = dict(alert.get("annotations", {}))
    labels = alert.get("labels", {})
    for k, v in labels.items():
        f["label." + k] = v
    f["labels"] = " ".join("%s=%s" % kv for kv in sorted(labels.items()))
    status = alert.get("status")
    f["state"] = status.get("state") if isinstance(status, dict) else status
    if receiver is None:
        f["receivers"] = ",".join(r["name"] for r in alert.get("receivers", []))
    else:
        f["receiver"] = receiver
    return f


def load(source):
    if source.startswith("http://"):
        with urllib.request.urlopen(source, timeout=10) as r:
            return [flat(a, None) for a in json.load(r)]
    try:
        with open(source, encoding="utf-8") as f:
            bodies = [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        bodies = []
    return [flat(a, b["receiver"]) for b in bodies for a in b["alerts"]]


def matches(alert, filters):
    for f in filters:
        key, op, want = re.match(r"([^=~]+)([=~])(.*)", f).groups()
        got = str(alert.get(key, ""))
        if (op == "=" and got != want) or (op == "~" and not re.search(want, got)):
            return False
    return True


def main(source, command, *args):
    alerts = load(source)
    if command == "count":
        print(sum(1 for a in alerts if matches(a, args)))
    elif command == "get":
        found = [a for a in alerts if matches(a, args[1:])]
        print(found[-1].get(args[0], "") if found else "")


main(*sys.argv[1:])
