#!/usr/bin/python3
"""Serves an exposition fixture at /metrics, for a real Prometheus to scrape.

  fixture_server.py FILE

Prints its ephemeral loopback port as the first line. The Content-Type follows the file name:
*.om.txt is OpenMetrics 1.0, anything else text 0.0.4. The served file can be switched while
running, so one scrape target can present several fixtures one after another:

  GET /load?file=PATH   serve PATH from now on (answers once the switch is done)
  GET /served           "<count> <unix-ms>": /metrics answers of the current file, and when the
                        last one was sent
"""
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {"file": None, "body": b"", "count": 0, "last_ms": 0}
LOCK = threading.Lock()


def content_type(path):
    if path.endswith(".om.txt"):
        return "application/openmetrics-text; version=1.0.0; charset=utf-8"
    return "text/plain; version=0.0.4; charset=utf-8"


def load(path):
    with open(path, "rb") as f:
        body = f.read()
    with LOCK:
        STATE.update(file=path, body=body, count=0, last_ms=0)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, ctype, body):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/metrics":
            with LOCK:
                path, body = STATE["file"], STATE["body"]
            self.reply(200, content_type(path), body)
            with LOCK:
                if STATE["file"] == path:
                    STATE["count"] += 1
                    STATE["last_ms"] = int(time.time() * 1000)
        elif url.path == "/load":
            path = urllib.parse.parse_qs(url.query).get("file", [""])[0]
            if not os.path.isfile(path):
                self.reply(404, "text/plain", b"no such file\n")
                return
            load(path)
            self.reply(200, "text/plain", b"ok\n")
        elif url.path == "/served":
            with LOCK:
                text = "%d %d\n" % (STATE["count"], STATE["last_ms"])
            self.reply(200, "text/plain", text.encode())
        else:
            self.reply(404, "text/plain", b"not found\n")


def main():
    load(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
