#!/usr/bin/python3
"""The E2E3D service's job counters, served by the real Python prometheus_client, counting on.

Every scrape of /metrics first finishes --per-scrape jobs (the last --failed-per-scrape of them
failed), so consecutive scrapes see the counters grow steadily, as a busy service's do. The
client's own process collector supplies process_* (a restarted process has a new
process_start_time_seconds). Prints its port as the first line.

  counting_exporter.py [--port N] [--per-scrape N] [--failed-per-scrape N] [--hang-after N]

With --hang-after N, every /metrics request after the first N is held without an answer (a
target that stopped answering in the middle of a watch).
"""
import argparse
import signal
import sys
import time

from prometheus_client import Counter, Gauge, make_wsgi_app
from prometheus_client.exposition import ThreadingWSGIServer, _SilentHandler
from wsgiref.simple_server import make_server


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--per-scrape", type=int, default=6)
    p.add_argument("--failed-per-scrape", type=int, default=1)
    p.add_argument("--hang-after", type=int, default=-1)
    a = p.parse_args()

    total = Counter('reconstruction_total', 'Total number of reconstruction jobs processed')
    success = Counter('reconstruction_success', 'Number of successful reconstruction jobs')
    failure = Counter('reconstruction_failure', 'Number of failed reconstruction jobs')
    active = Gauge('e2e3d_active_jobs', 'Number of active reconstruction jobs')
    metrics = make_wsgi_app()
    served = [0]

    def app(environ, start_response):
        if environ.get("PATH_INFO") == "/metrics":
            served[0] += 1
            if 0 <= a.hang_after < served[0]:
                time.sleep(3600)
            failed = a.failed_per_scrape
            total.inc(a.per_scrape)
            success.inc(a.per_scrape - failed)
            failure.inc(failed)
            active.set(a.per_scrape)
        return metrics(environ, start_response)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    httpd = make_server("127.0.0.1", a.port, app, ThreadingWSGIServer,
                        handler_class=_SilentHandler)
    print(httpd.server_port, flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
