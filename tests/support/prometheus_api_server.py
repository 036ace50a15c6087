#!/usr/bin/python3
"""A server on loopback that speaks, or breaks, the Prometheus HTTP API, one behaviour per
leading path segment: the client is pointed at http://127.0.0.1:PORT/<behaviour> as if that were
the server's base URL. Prints its ephemeral port as the first stdout line.

  prometheus_api_server.py [--tls-cert PEM --tls-key PEM] [--unix-socket PATH]

With --unix-socket the same paths are also served over a Unix socket at PATH.

Behaviours (each serves /api/v1/query and /api/v1/targets under it):
  /ok               a valid answer. The query answer is a vector of one sample whose labels are
                    the request's headers (names lower-cased, '-' as '_') plus `query` and
                    `time`, the parameters received: a test reads what reached the server.
                    The targets answer lists one target of job e2e3d.
  /auth             like /ok when the request carries `Authorization` or `X-Api-Key`, else 401
                    with Prometheus's JSON error.
  /error            HTTP 422 with the API's JSON error (errorType execution)
  /huge             HTTP 200 and a JSON vector that never ends (about 20 MB a second)
  /slow             answers as /ok after 3 seconds
  /ftp              redirects to ftp://127.0.0.1:PORT/x
  /file             redirects to file:///etc/passwd
  /other-host       redirects to /echo on 127.0.0.2 (another origin)
  /downgrade        redirects to /echo over plain http on another port (only useful with TLS)
  /same-origin      redirects to /echo on this very server
  /echo             the /ok query answer (headers as labels), on every listener
  /html             an HTML page with status 200
  /proxy-error      HTTP 502 with an HTML page
  /malformed/NAME   HTTP 200 with the body named in MALFORMED below
  /file-target/PORT a targets answer of job e2e3d listing file:///etc/passwd and
                    http://127.0.0.1:PORT/metrics
"""
import argparse
import json
import os
import signal
import socketserver
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TARGET = {
    "discoveredLabels": {"__address__": "127.0.0.1:9", "job": "e2e3d"},
    "labels": {"instance": "127.0.0.1:9", "job": "e2e3d"},
    "scrapePool": "e2e3d",
    "scrapeUrl": "http://127.0.0.1:9/metrics",
    "globalUrl": "http://127.0.0.1:9/metrics",
    "lastError": "",
    "lastScrape": "0001-01-01T00:00:00Z",
    "lastScrapeDuration": 0,
    "health": "unknown",
    "scrapeInterval": "15s",
    "scrapeTimeout": "10s",
}

MALFORMED = {
    "not-json": b"<!DOCTYPE html><html><body>Grafana</body></html>",
    "truncated": b'{"status":"success","data":{"resultType":"vector","result":[{"metric":',
    "deep": b"[" * 100000,
    "status-number": b'{"status":1}',
    "no-status": b'{"data":{}}',
    "array": b"[1,2,3]",
    "no-data": b'{"status":"success"}',
    "data-string": b'{"status":"success","data":"x"}',
    "error-not-string": b'{"status":"error","errorType":7,"error":{"a":1}}',
    "targets-empty-entry": b'{"status":"success","data":{"activeTargets":[{}]}}',
    "targets-not-list": b'{"status":"success","data":{"activeTargets":{"a":1}}}',
    "targets-labels-list": (b'{"status":"success","data":{"activeTargets":[{"scrapeUrl":'
                            b'"http://x/metrics","labels":["job"]}]}}'),
    "targets-url-number": b'{"status":"success","data":{"activeTargets":[{"scrapeUrl":5,"labels":{}}]}}',
    "result-empty-entry": b'{"status":"success","data":{"resultType":"vector","result":[{}]}}',
    "result-not-list": b'{"status":"success","data":{"resultType":"vector","result":{}}}',
    "value-not-list": (b'{"status":"success","data":{"resultType":"vector","result":'
                       b'[{"metric":{},"value":"1"}]}}'),
    "value-short": (b'{"status":"success","data":{"resultType":"vector","result":'
                    b'[{"metric":{},"value":[1]}]}}'),
    "value-number": (b'{"status":"success","data":{"resultType":"vector","result":'
                     b'[{"metric":{},"value":[1,1]}]}}'),
    "value-word": (b'{"status":"success","data":{"resultType":"vector","result":'
                   b'[{"metric":{},"value":[1,"many"]}]}}'),
    "label-number": (b'{"status":"success","data":{"resultType":"vector","result":'
                     b'[{"metric":{"a":1},"value":[1,"1"]}]}}'),
    "scalar-short": b'{"status":"success","data":{"resultType":"scalar","result":[1]}}',
    "scalar-object": b'{"status":"success","data":{"resultType":"scalar","result":{}}}',
    "string-number": b'{"status":"success","data":{"resultType":"string","result":[1,2]}}',
    "type-number": b'{"status":"success","data":{"resultType":5,"result":[]}}',
    "no-result": b'{"status":"success","data":{"resultType":"vector"}}',
}

ports = {"other_host": 0, "plain": 0, "scheme": "http"}


def headers_answer(handler, params):
    metric = {name.lower().replace("-", "_"): value for name, value in handler.headers.items()}
    for name in ("query", "time"):
        if name in params:
            metric[name] = params[name][0]
    return {"status": "success",
            "data": {"resultType": "vector", "result": [{"metric": metric, "value": [1, "1"]}]}}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="application/json", extra=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location):
        self.send(302, b"", "text/html", [("Location", location)])

    def answer_ok(self, api, params):
        if api == "/api/v1/targets":
            body = {"status": "success", "data": {"activeTargets": [TARGET], "droppedTargets": []}}
        else:
            body = headers_answer(self, params)
        self.send(200, json.dumps(body).encode())

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        path = url.path
        marker = path.find("/api/v1/")
        behaviour, api = (path[:marker], path[marker:]) if marker >= 0 else (path, "")
        if behaviour in ("/ok", "/echo"):
            return self.answer_ok(api, params)
        if behaviour == "/auth":
            if "Authorization" in self.headers or "X-Api-Key" in self.headers:
                return self.answer_ok(api, params)
            return self.send(401, b'{"status":"error","errorType":"unauthorized",'
                                  b'"error":"authentication required"}')
        if behaviour == "/error":
            return self.send(422, b'{"status":"error","errorType":"execution",'
                                  b'"error":"query processing would load too many samples"}')
        if behaviour == "/slow":
            time.sleep(3)
            return self.answer_ok(api, params)
        if behaviour == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            sample = b'{"metric":{"__name__":"up","instance":"' + b"x" * 200 + b'"},"value":[1,"1"]},'
            block = sample * 500
            try:
                self.wfile.write(b'{"status":"success","data":{"resultType":"vector","result":[')
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    self.wfile.write(block)
            except OSError:
                pass
            return
        if behaviour == "/ftp":
            return self.redirect(f"ftp://127.0.0.1:{self.server.server_address[1]}/x")
        if behaviour == "/file":
            return self.redirect("file:///etc/passwd")
        if behaviour == "/other-host":
            return self.redirect(
                f"{ports['scheme']}://127.0.0.2:{ports['other_host']}/echo{api}?{url.query}")
        if behaviour == "/downgrade":
            return self.redirect(f"http://127.0.0.1:{ports['plain']}/echo{api}?{url.query}")
        if behaviour == "/same-origin":
            return self.redirect(f"/echo{api}?{url.query}")
        if behaviour == "/html":
            return self.send(200, b"<!DOCTYPE html><html><body>Grafana</body></html>\n", "text/html")
        if behaviour == "/proxy-error":
            return self.send(502, b"<html><body>Bad Gateway</body></html>\n", "text/html")
        if behaviour.startswith("/file-target/"):
            port = behaviour[len("/file-target/"):]
            targets = [dict(TARGET, scrapeUrl="file:///etc/passwd",
                            labels={"instance": "passwd", "job": "e2e3d"}),
                       dict(TARGET, scrapeUrl=f"http://127.0.0.1:{port}/metrics",
                            labels={"instance": f"127.0.0.1:{port}", "job": "e2e3d"})]
            body = {"status": "success", "data": {"activeTargets": targets, "droppedTargets": []}}
            return self.send(200, json.dumps(body).encode())
        if behaviour.startswith("/malformed/"):
            name = behaviour[len("/malformed/"):]
            if name in MALFORMED:
                return self.send(200, MALFORMED[name])
        return self.send(404, b"404 page not found\n", "text/plain")


class UnixHTTPServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    pass


class UnixHandler(Handler):
    # A Unix socket's peer has no (host, port); the base class logs and formats with it.
    def address_string(self):
        return "unix"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--unix-socket")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    main_server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    other_host = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    plain = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    for server in (main_server, other_host, plain):
        server.daemon_threads = True
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        for server in (main_server, other_host):
            server.socket = context.wrap_socket(server.socket, server_side=True)
        ports["scheme"] = "https"
    ports["other_host"] = other_host.server_address[1]
    ports["plain"] = plain.server_address[1]
    servers = [other_host, plain]
    if args.unix_socket:
        unix = UnixHTTPServer(args.unix_socket, UnixHandler)
        unix.daemon_threads = True
        servers.append(unix)
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print(main_server.server_address[1], flush=True)
    main_server.serve_forever()


if __name__ == "__main__":
    main()
