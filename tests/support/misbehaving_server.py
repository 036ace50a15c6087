#!/usr/bin/python3
"""An HTTP server on loopback that misbehaves on purpose, one behaviour per URL path.

Prints its ephemeral port as the first stdout line. The fetch tests point e2e3d's fetcher at it
to check that every kind of broken target gets a clear error in bounded time.

  misbehaving_server.py [--mode http|silent|backlog-full] [--tls-cert PEM --tls-key PEM]

--mode http (default) serves the paths below on 127.0.0.1, plus the same paths on a second
listener at 127.0.0.2 (also loopback, but another host) for cross-host redirects.
--mode silent accepts connections and never reads or answers.
--mode backlog-full listens with a full accept queue, so new connections are never established
(the kernel drops the SYNs): a connect timeout on loopback.
With --tls-cert/--tls-key the http mode speaks HTTPS with that certificate.

Paths:
  /metrics                valid Prometheus text (text/plain; version=0.0.4)
  /openmetrics            valid OpenMetrics text with its Content-Type
  /status/NNN             answers status NNN with a small HTML body
  /html                   an HTML page (text/html)
  /html-as-text           an HTML page labelled text/plain
  /json                   a JSON document (application/json)
  /json-as-text           a JSON document labelled text/plain
  /metrics-as-html        valid metrics labelled text/html
  /wrong-type             valid metrics labelled application/octet-stream
  /bad-exposition         text format with a syntax error on line 3
  /garbage                binary garbage labelled text/plain
  /drip                   valid metrics, one byte a second
  /no-answer              reads the request, never answers
  /headers-then-hang      headers (Content-Length set), then nothing
  /headers-only           headers promising a body, then closes the connection
  /truncated-chunked      a chunked body cut off before its last chunk
  /empty-reply            closes the connection without a word
  /http09                 junk without an HTTP status line
  /gzip                   valid metrics, gzip-encoded when the client accepts it
  /bad-gzip               Content-Encoding gzip on a body that is not gzip
  /endless-headers        a status line, then header lines forever
  /gzip-bomb              an endless gzip stream that inflates ~1000:1 (comment lines)
  /huge-content-length    announces a 200 MB body (Content-Length), then sends it slowly
  /endless                an endless plain-text body (comment lines)
  /long-line              one 10 MB sample line (a label value of 10 MB), then a newline
  /redirect/N             N redirects, then /metrics
  /redirect-loop          redirects to itself forever
  /redirect-same-host     redirects to /echo-headers on this host
  /redirect-other-host    redirects to /echo-headers on 127.0.0.2 (another host)
  /redirect-other-port    redirects to /echo-headers on 127.0.0.1 at another port
  /redirect-file          redirects to file:///etc/passwd
  /redirect-keep-query    redirects to /echo-headers with the same query string
  /redirect-to-drip       redirects to /drip
  /echo-headers           the request target and headers received, one per line, as text
Requests through a proxy (absolute request target) are answered like /echo-headers.
"""
import argparse
import gzip
import os
import signal
import socket
import ssl
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

METRICS = (
    b"# HELP e2e3d_active_jobs Number of active reconstruction jobs\n"
    b"# TYPE e2e3d_active_jobs gauge\n"
    b"e2e3d_active_jobs 3.0\n"
    b"# HELP reconstruction_total Total number of reconstruction jobs processed\n"
    b"# TYPE reconstruction_total counter\n"
    b"reconstruction_total 10.0\n"
)
OPENMETRICS = (
    b"# HELP e2e3d_active_jobs Number of active reconstruction jobs\n"
    b"# TYPE e2e3d_active_jobs gauge\n"
    b"e2e3d_active_jobs 3.0\n"
    b"# EOF\n"
)
HTML = b"<!DOCTYPE html>\n<html><head><title>Grafana</title></head><body>Welcome</body></html>\n"
JSON = b'{"status":"success","data":{"resultType":"vector","result":[]}}\n'
TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
OPENMETRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8"
# Valid in the text format (comments), compresses about 1000:1.
PADDING = b"# padding padding padding padding padding padding padding padding padding\n" * 14000

other_host_port = 0
other_port_port = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, body, content_type=TEXT_TYPE, status=200, extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location):
        # With a small HTML body, as real servers send: it must never reach the parser.
        body = f'<html><body><a href="{location}">moved</a></body></html>\n'.encode()
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def stream_forever(self, content_type, next_block, extra=()):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Connection", "close")
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.close_connection = True
        deadline = time.monotonic() + 60
        try:
            while time.monotonic() < deadline:
                self.wfile.write(next_block())
        except OSError:
            pass  # the client hung up: that is what the test wanted

    def wait_for_client_to_leave(self, limit=60):
        self.connection.settimeout(limit)
        try:
            while self.connection.recv(4096):
                pass
        except OSError:
            pass
        self.close_connection = True

    def echo_headers(self):
        lines = [f"request-target: {self.path}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        self.send_body(("\n".join(lines) + "\n").encode())

    def do_GET(self):
        path = self.path
        if path.startswith("http://") or path.startswith("https://"):
            return self.echo_headers()
        if path == "/metrics":
            return self.send_body(METRICS)
        if path == "/openmetrics":
            return self.send_body(OPENMETRICS, OPENMETRICS_TYPE)
        if path.startswith("/status/"):
            return self.send_body(HTML, "text/html", status=int(path.split("/")[2]))
        if path == "/html":
            return self.send_body(HTML, "text/html; charset=utf-8")
        if path == "/html-as-text":
            return self.send_body(b"\n  " + HTML)
        if path == "/json":
            return self.send_body(JSON, "application/json")
        if path == "/json-as-text":
            return self.send_body(JSON)
        if path == "/metrics-as-html":
            return self.send_body(METRICS, "text/html")
        if path == "/wrong-type":
            return self.send_body(METRICS, "application/octet-stream")
        if path == "/bad-exposition":
            return self.send_body(b"# TYPE up gauge\nup 1\nbroken{job=\"x\" 2\n")
        if path == "/garbage":
            return self.send_body(b"\x00\x01\x02\xff\xfe binary \x00 garbage" * 40)
        if path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", TEXT_TYPE)
            self.send_header("Content-Length", str(len(METRICS)))
            self.end_headers()
            try:
                for i in range(len(METRICS)):
                    self.wfile.write(METRICS[i:i + 1])
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass
            self.close_connection = True
            return
        if path == "/no-answer":
            return self.wait_for_client_to_leave()
        if path == "/headers-then-hang":
            self.send_response(200)
            self.send_header("Content-Type", TEXT_TYPE)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.flush()
            return self.wait_for_client_to_leave()
        if path == "/headers-only":
            self.send_response(200)
            self.send_header("Content-Type", TEXT_TYPE)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(METRICS[:40])
            self.close_connection = True
            return
        if path == "/truncated-chunked":
            self.send_response(200)
            self.send_header("Content-Type", TEXT_TYPE)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(METRICS), METRICS))
            self.wfile.write(b"400\r\n# cut")
            self.close_connection = True
            return
        if path == "/empty-reply":
            self.close_connection = True
            return
        if path == "/http09":
            self.wfile.write(b"\x16\x03 this is not HTTP at all \r\n\r\n junk junk junk\n")
            self.close_connection = True
            return
        if path == "/gzip":
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                return self.send_body(gzip.compress(METRICS), extra=[("Content-Encoding", "gzip")])
            return self.send_body(METRICS)
        if path == "/bad-gzip":
            return self.send_body(b"\x1f\x8b\x08\x00 this is not deflate data at all" * 8,
                                  extra=[("Content-Encoding", "gzip")])
        if path == "/endless-headers":
            self.send_response(200)
            self.flush_headers()
            self.close_connection = True
            try:
                for i in range(10_000_000):
                    self.wfile.write(b"X-Filler-%d: %s\r\n" % (i, b"f" * 200))
            except OSError:
                pass
            return
        if path == "/gzip-bomb":
            compressor = zlib.compressobj(9, zlib.DEFLATED, 31)

            def block():
                # Full flushes make every block independent, so no block ever ends the stream.
                return compressor.compress(PADDING) + compressor.flush(zlib.Z_FULL_FLUSH)

            return self.stream_forever(TEXT_TYPE, block, [("Content-Encoding", "gzip")])
        if path == "/huge-content-length":
            self.send_response(200)
            self.send_header("Content-Type", TEXT_TYPE)
            self.send_header("Content-Length", str(200 * 1000 * 1000))
            self.end_headers()
            try:
                for _ in range(60):
                    self.wfile.write(b"# padding\n")
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass
            self.close_connection = True
            return
        if path == "/endless":
            return self.stream_forever(TEXT_TYPE, lambda: PADDING)
        if path == "/long-line":
            body = b'long_line_metric{label="' + b"x" * (10 * 1024 * 1024) + b'"} 1\n'
            return self.send_body(body)
        if path.startswith("/redirect/"):
            left = int(path.split("/")[2])
            return self.redirect(f"/redirect/{left - 1}" if left > 1 else "/metrics")
        if path == "/redirect-loop":
            return self.redirect("/redirect-loop")
        if path == "/redirect-same-host":
            return self.redirect("/echo-headers")
        if path == "/redirect-other-host":
            return self.redirect(f"http://127.0.0.2:{other_host_port}/echo-headers")
        if path == "/redirect-other-port":
            return self.redirect(f"http://127.0.0.1:{other_port_port}/echo-headers")
        if path == "/redirect-file":
            return self.redirect("file:///etc/passwd")
        if path.startswith("/redirect-keep-query?"):
            return self.redirect("/echo-headers?" + path.split("?", 1)[1])
        if path == "/redirect-to-drip":
            return self.redirect("/drip")
        if path == "/echo-headers" or path.startswith("/echo-headers?"):
            return self.echo_headers()
        return self.send_body(b"not found\n", "text/plain", status=404)


def serve_http(args):
    global other_host_port, other_port_port
    main = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    other_host = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    other_port = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    servers = (main, other_host, other_port)
    for server in servers:
        server.daemon_threads = True
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        for server in servers:
            server.socket = context.wrap_socket(server.socket, server_side=True)
    other_host_port = other_host.server_address[1]
    other_port_port = other_port.server_address[1]
    for server in (other_host, other_port):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print(main.server_address[1], flush=True)
    main.serve_forever()


def serve_silent(args):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    print(listener.getsockname()[1], flush=True)
    held = []
    while True:
        connection, _ = listener.accept()
        held.append(connection)  # never read, never answered, never closed


def serve_backlog_full(args):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    # Fill the accept queue with connections nobody accepts; later SYNs are dropped.
    fillers = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(s)
    time.sleep(0.2)
    print(port, flush=True)
    while True:
        time.sleep(3600)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["http", "silent", "backlog-full"], default="http")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    {"http": serve_http, "silent": serve_silent, "backlog-full": serve_backlog_full}[args.mode](args)


if __name__ == "__main__":
    main()
