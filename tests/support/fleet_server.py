#!/usr/bin/python3
"""A fleet of small exporters in one process: N HTTP listeners on ephemeral loopback ports,
all served by one asyncio loop (no thread per port), for the fleet tests and bench.

Prints the N ports, space separated, as the first stdout line once every listener is ready.

  fleet_server.py N [--fail K] [--slow K] [--refused K] [--slow-seconds S] [--delay S]

Ports are assigned behaviours in the order printed: the first K of --fail answer /metrics with
HTTP 500, the next K of --slow answer it after --slow-seconds (default 30), the next K of
--refused are closed right after the line is printed (connections are refused), the rest serve
metrics. --delay S holds every answer of /metrics for S seconds (to make transfers overlap).

Paths, on every port:
  /metrics   a small E2E3D-like exposition (text format 0.0.4) whose
             e2e3d_exporter_port gauge and success counter hold the port's number
  /broken    a text exposition whose second line is not a sample ("this is not a sample")
  /html/api/v1/targets        an HTML page: something at --from-prometheus that is not Prometheus
  /error/api/v1/targets       Prometheus's JSON for an error
  /no-data/api/v1/targets     JSON without data.activeTargets
  /stats     "max_in_flight M\\nrequests R\\n": the most /metrics requests ever in progress at
             once (from accepting the connection to writing the answer), and how many were made
"""
import argparse
import asyncio
import signal
import sys

TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

in_flight = 0
max_in_flight = 0
requests = 0


def metrics(port):
    return (
        "# HELP e2e3d_active_jobs Number of active reconstruction jobs\n"
        "# TYPE e2e3d_active_jobs gauge\n"
        "e2e3d_active_jobs 3.0\n"
        "# HELP reconstruction_total Total number of reconstruction jobs processed\n"
        "# TYPE reconstruction_total counter\n"
        f'reconstruction_total{{status="success"}} {port}.0\n'
        'reconstruction_total{status="failed"} 1.0\n'
        "# HELP e2e3d_exporter_port The TCP port this exporter answers on\n"
        "# TYPE e2e3d_exporter_port gauge\n"
        f"e2e3d_exporter_port {port}.0\n"
    ).encode()


def answer(status, body, content_type=TEXT_TYPE):
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def make_handler(port, behaviour, options):
    async def handle(reader, writer):
        global in_flight, max_in_flight, requests
        counted = False
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            parts = head.split(b" ", 2)
            path = parts[1].decode("latin-1") if len(parts) > 1 else ""
            if path == "/stats":
                body = f"max_in_flight {max_in_flight}\nrequests {requests}\n".encode()
                writer.write(answer("200 OK", body))
            elif path.startswith("/html/api/v1/targets"):
                page = b"<!DOCTYPE html>\n<html><body>Grafana</body></html>\n"
                writer.write(answer("200 OK", page, "text/html"))
            elif path.startswith("/error/api/v1/targets"):
                body = b'{"status":"error","errorType":"internal","error":"storage is read-only"}'
                writer.write(answer("200 OK", body, "application/json"))
            elif path.startswith("/no-data/api/v1/targets"):
                writer.write(answer("200 OK", b'{"status":"success"}', "application/json"))
            elif path == "/broken":
                writer.write(answer("200 OK", b"e2e3d_active_jobs 3.0\nthis is not a sample\n"))
            elif path == "/metrics":
                counted = True
                in_flight += 1
                requests += 1
                max_in_flight = max(max_in_flight, in_flight)
                if options.delay > 0:
                    await asyncio.sleep(options.delay)
                if behaviour == "slow":
                    await asyncio.sleep(options.slow_seconds)
                if behaviour == "fail":
                    reply = answer("500 Internal Server Error", b"exporter broke\n")
                else:
                    reply = answer("200 OK", metrics(port))
                # Counted out in the same step as the answer is written: the client cannot have
                # it (and start another transfer) before the count went down.
                in_flight -= 1
                counted = False
                writer.write(reply)
            else:
                writer.write(answer("404 Not Found", b"not found\n"))
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.TimeoutError, ConnectionError):
            pass
        finally:
            if counted:
                in_flight -= 1
            writer.close()

    return handle


async def serve(options):
    behaviours = (
        ["fail"] * options.fail + ["slow"] * options.slow + ["refused"] * options.refused
    )
    behaviours += ["ok"] * (options.count - len(behaviours))
    servers = []
    ports = []
    for behaviour in behaviours:
        # Each listener learns its own port after binding; the handler closes over it.
        holder = {}

        async def handle(reader, writer, holder=holder):
            await holder["handler"](reader, writer)

        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
        port = server.sockets[0].getsockname()[1]
        holder["handler"] = make_handler(port, behaviour, options)
        servers.append(server)
        ports.append(port)
    # Closed before the ports are printed, so no client can get into a listen queue that is
    # about to vanish (a reset instead of a refusal).
    for server, behaviour in zip(servers, behaviours):
        if behaviour == "refused":
            server.close()
            await server.wait_closed()
    print(" ".join(str(p) for p in ports), flush=True)
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set_result, None)
    await stop


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--fail", type=int, default=0)
    parser.add_argument("--slow", type=int, default=0)
    parser.add_argument("--refused", type=int, default=0)
    parser.add_argument("--slow-seconds", type=float, default=30.0)
    parser.add_argument("--delay", type=float, default=0.0)
    options = parser.parse_args()
    if options.fail + options.slow + options.refused > options.count:
        parser.error("--fail + --slow + --refused is more than the number of ports")
    asyncio.run(serve(options))


if __name__ == "__main__":
    sys.exit(main())
