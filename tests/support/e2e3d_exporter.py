#!/usr/bin/python3
"""The E2E3D service's metrics, served by the real Python prometheus_client.

Defines exactly the metrics the service defines (see shared/fixtures/README.md), sets them to the
values given on the command line, serves them the way start_http_server does, on an ephemeral
loopback port, and prints that port as its first line.

  e2e3d_exporter.py [--completed N] [--failed N] [--active N] [--duration-base S]
                    [--bind ADDR] [--require-enable-metrics]

Job i gets duration duration_base + i (seconds); the first --failed jobs are "failed".
With --require-enable-metrics it behaves like the service: no metrics server unless
ENABLE_METRICS is "true" in any letter case (it then idles so the process can be inspected).
"""
import argparse
import os
import signal
import sys
import threading
import time

from prometheus_client import Counter, Gauge, make_wsgi_app
from prometheus_client.exposition import ThreadingWSGIServer, _SilentHandler
from wsgiref.simple_server import make_server


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--completed", type=int, default=7)
    p.add_argument("--failed", type=int, default=3)
    p.add_argument("--active", type=int, default=3)
    p.add_argument("--duration-base", type=float, default=10.5)
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--require-enable-metrics", action="store_true")
    a = p.parse_args()

    total = Counter('reconstruction_total', 'Total number of reconstruction jobs processed')
    success = Counter('reconstruction_success', 'Number of successful reconstruction jobs')
    failure = Counter('reconstruction_failure', 'Number of failed reconstruction jobs')
    active = Gauge('e2e3d_active_jobs', 'Number of active reconstruction jobs')
    duration = Counter('e2e3d_job_duration_seconds', 'Total time spent processing jobs',
                       ['job_id', 'status'])

    jobs = a.completed + a.failed
    for i in range(jobs):
        status = "failed" if i < a.failed else "completed"
        total.inc()
        (failure if status == "failed" else success).inc()
        duration.labels(job_id=f"job-{i}", status=status).inc(a.duration_base + i)
    active.set(a.active)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if a.require_enable_metrics and os.environ.get("ENABLE_METRICS", "").lower() != "true":
        print(0, flush=True)
        while True:
            time.sleep(3600)

    httpd = make_server(a.bind, a.port, make_wsgi_app(), ThreadingWSGIServer,
                        handler_class=_SilentHandler)
    print(httpd.server_port, flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
