# setns-collectd - contrib/setns_graphite_events.py
#
# A module for collectd's python plugin: posts each notification of the
# setns plugin to graphite-web's events API (POST /events/), so that joins
# show up as annotations over the graphs: drawAsInfinite(events("setns"))
# draws them as vertical lines. Only joins are posted (type operations):
# the plugin's note of its attach mode and other plugins' notifications
# are left alone.
#
#   LoadPlugin python
#   <Plugin python>
#     ModulePath "/usr/share/collectd-setns"
#     Import "setns_graphite_events"
#     <Module setns_graphite_events>
#       URL "http://graphite.example.com/events/"
#       Timeout 2         # seconds per POST
#       Tags "prod"       # added to every event (repeatable, several values)
#       MaxQueue 1000     # events waiting to be posted; more are dropped
#     </Module>
#   </Plugin>
#
# An event is
#   what  "setns escape: nsenter[4242] joined uts,net"
#   tags  setns, the activity, the direction, the namespace type
#         (type_instance), the container (the caller's, else the target's;
#         12 hex digits) when there is one, then the Tags configured
#   data  the notification's message
#   when  the notification's time
#
# collectd calls notification callbacks in the thread that dispatched the
# notification, the setns plugin's event reader: this one only queues the
# event, and a thread of its own posts it. A graphite-web that is down or
# slow costs the queue, never the plugin. Failures are logged once a
# minute with their count, not once per event.
#
# Kernel strings (comm) arrive escaped by the plugin; tags are cut down
# further to what graphite's tagging keeps as one word.
import json
import queue
import re
import threading
import time
import urllib.request

import collectd

NAME = "setns_graphite_events"
LOG_EVERY = 60.0
TAG_MAX = 50  # graphite-web's MAX_TAG_LENGTH
WHAT_MAX = 255  # the column's size

conf = {"url": None, "timeout": 2.0, "tags": [], "max_queue": 1000}
pending = None
worker = None
errors = {"count": 0, "last": "", "logged": 0.0}


def tag(value):
    """One graphite tag: tagging splits on spaces, commas and quotes."""
    return re.sub(r"[^A-Za-z0-9_.:=+-]", "_", str(value))[:TAG_MAX]


def configure(ci):
    for child in ci.children:
        key = child.key.lower()
        if key == "url" and child.values:
            conf["url"] = str(child.values[0])
        elif key == "timeout" and child.values:
            conf["timeout"] = float(child.values[0])
        elif key == "tags":
            conf["tags"] += [t for t in map(tag, child.values) if t]
        elif key == "maxqueue" and child.values:
            conf["max_queue"] = max(1, int(child.values[0]))
        else:
            collectd.error("%s: unknown option %s; no events will be posted"
                           % (NAME, child.key))
            conf["url"] = None
            return
    if not conf["url"]:
        collectd.error("%s: no URL; no events will be posted" % NAME)


def event(n):
    meta = dict(n.meta or {})
    activity = str(meta.get("activity", ""))
    if activity:
        joined = meta.get("joined") or n.type_instance
        what = "setns %s: %s[%s] joined %s" % (
            activity, meta.get("comm", ""), meta.get("pid", ""), joined)
        if activity == "failed":
            what = "setns failed: %s[%s] %s joining %s" % (
                meta.get("comm", ""), meta.get("pid", ""),
                meta.get("result", ""), n.type_instance)
    else:  # from another host through the network plugin: no meta data
        what = "setns: " + n.message
    container = meta.get("container_id") or meta.get("target_container_id")
    tags = ["setns", activity, meta.get("direction", ""), n.type_instance,
            str(container or "")[:12]]
    return {
        "what": re.sub(r"[^\x20-\x7e]", "?", what)[:WHAT_MAX],
        "tags": [t for t in map(tag, tags) if t] + conf["tags"],
        "data": n.message,
        "when": n.time,
    }


def failed(why):
    errors["count"] += 1
    errors["last"] = why
    if not errors["logged"] or time.monotonic() - errors["logged"] >= LOG_EVERY:
        report()


def report():
    collectd.warning("%s: %d event(s) not posted to %s since the last report: %s"
                     % (NAME, errors["count"], conf["url"], errors["last"]))
    errors["count"] = 0
    errors["logged"] = time.monotonic()


def post(ev):
    req = urllib.request.Request(
        conf["url"], data=json.dumps(ev).encode(), method="POST",
        headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=conf["timeout"]) as resp:
            resp.read()
    except Exception as e:  # any failure of one POST: log, go on
        failed(str(e))


def run():
    while True:
        ev = pending.get()
        if ev is None:
            return
        post(ev)


def init():
    global pending, worker
    if not conf["url"]:
        return
    pending = queue.Queue(conf["max_queue"])
    worker = threading.Thread(target=run, name=NAME, daemon=True)
    worker.start()


def notify(n):
    if n.plugin != "setns" or n.type != "operations" or worker is None:
        return
    try:
        pending.put_nowait(event(n))
    except queue.Full:
        failed("more than %d events waiting" % conf["max_queue"])


def shutdown():
    """Posts what is queued, for at most a few timeouts."""
    global worker
    if worker is None:
        return
    w, worker = worker, None
    try:
        pending.put(None, timeout=conf["timeout"])
    except queue.Full:
        return
    w.join(3 * conf["timeout"])
    if errors["count"]:  # not reported yet
        report()


collectd.register_config(configure)
collectd.register_init(init)
collectd.register_notification(notify)
collectd.register_shutdown(shutdown)
