#!/usr/bin/python3
"""Misbehaving HTTP servers for doctor's tests, on an ephemeral loopback port (printed first).

  doctor_http_server.py --mode not-found   every path answers 404
  doctor_http_server.py --mode html        200 with an HTML page (another web service)
  doctor_http_server.py --mode silent      accepts connections and never answers
"""
import argparse
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML = b"<!DOCTYPE html><html><head><title>Grafana</title></head><body>login</body></html>\n"


class Handler(BaseHTTPRequestHandler):
    mode = "not-found"

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.mode == "not-found":
            body = b"404 page not found\n"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
        else:
            body = HTML
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def silent():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(listener.getsockname()[1], flush=True)
    held = []
    while True:
        conn, _ = listener.accept()
        held.append(conn)  # read nothing, answer nothing, close nothing


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mode", choices=["not-found", "html", "silent"], required=True)
    a = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if a.mode == "silent":
        silent()
        return
    Handler.mode = a.mode
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(httpd.server_port, flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
