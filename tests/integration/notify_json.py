# setns-collectd - tests/integration/notify_json.py
#
# A consumer of notifications for the integration tests: collectd's python
# plugin calls write() for every notification, which appends it, meta data
# included, as one JSON line to the file named by the "File" option.
import json

import collectd

PATH = None


def configure(conf):
    global PATH
    for child in conf.children:
        if child.key == "File":
            PATH = child.values[0]


def shutdown():
    # Like any consumer that lets go of its output at shutdown (a file, a
    # socket): what is dispatched to it afterwards goes nowhere.
    global PATH
    PATH = None


def write(n):
    if PATH is None:
        return
    record = {
        "severity": n.severity,
        "time": n.time,
        "host": n.host,
        "plugin": n.plugin,
        "plugin_instance": n.plugin_instance,
        "type": n.type,
        "type_instance": n.type_instance,
        "message": n.message,
        "meta": dict(n.meta),
    }
    with open(PATH, "a") as out:
        out.write(json.dumps(record) + "\n")


collectd.register_config(configure)
collectd.register_notification(write)
collectd.register_shutdown(shutdown)
