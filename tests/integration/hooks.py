#!/usr/bin/python3
# setns-collectd - tests/integration/hooks.py
#
# A webhook receiver for the tests: hooks.py PORT DIR listens on
# 127.0.0.1:PORT and appends the body of each POST to /NAME, on one line,
# to DIR/NAME.json, answering 200.
import http.server
import os
import sys


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        name = os.path.basename(self.path.strip("/")) or "root"
        with open(os.path.join(sys.argv[2], name + ".json"), "ab") as out:
            out.write(body.replace(b"\n", b" ") + b"\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
