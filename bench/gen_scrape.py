#!/usr/bin/env python3
"""Generates a /metrics response of the E2E3D service with N finished jobs, byte for byte as the
Python client (prometheus_client 0.16) writes it: each job adds one
e2e3d_job_duration_seconds_total and one e2e3d_job_duration_seconds_created series with a UUID
job_id. 1,000,000 jobs make 2,000,000 job series, about 226 MB.

    bench/gen_scrape.py [--jobs N] [--format text|openmetrics] [--output FILE]

The default output is bench/data/e2e3d_<N>.txt (or .om.txt); the same N gives the same bytes.
"""

import argparse
import os
import random
import sys
import uuid


def go_float(value):
    """prometheus_client.utils.floatToGoString: how the client writes every value."""
    if value == float("inf"):
        return "+Inf"
    if value == float("-inf"):
        return "-Inf"
    if value != value:
        return "NaN"
    text = repr(float(value))
    dot = text.find(".")
    if value > 0 and dot > 6:
        mantissa = f"{text[0]}.{text[1:dot]}{text[dot + 1:]}".rstrip("0.")
        return f"{mantissa}e+0{dot - 1}"
    return text


def header(out, name, help_text, kind):
    out.write(f"# HELP {name} {help_text}\n# TYPE {name} {kind}\n")


def generate(jobs, openmetrics, out):
    rng = random.Random(jobs)
    start = 1795570951.44
    om = openmetrics

    def counter(name, help_text, value, created):
        if om:
            header(out, name, help_text, "counter")
            out.write(f"{name}_total {go_float(value)}\n{name}_created {go_float(created)}\n")
        else:
            header(out, f"{name}_total", help_text, "counter")
            out.write(f"{name}_total {go_float(value)}\n")
            header(out, f"{name}_created", help_text, "gauge")
            out.write(f"{name}_created {go_float(created)}\n")

    def gauge(name, help_text, value):
        header(out, name, help_text, "gauge")
        out.write(f"{name} {go_float(value)}\n")

    for name, help_text, values in (
        ("python_gc_objects_collected", "Objects collected during gc", (405.0, 144.0, 0.0)),
        ("python_gc_objects_uncollectable", "Uncollectable object found during GC", (0.0,) * 3),
        ("python_gc_collections", "Number of times this generation was collected",
         (39.0, 3.0, 0.0)),
    ):
        header(out, name if om else f"{name}_total", help_text, "counter")
        for generation, value in enumerate(values):
            out.write(f'{name}_total{{generation="{generation}"}} {go_float(value)}\n')
    header(out, "python_info", "Python platform information", "gauge")
    out.write('python_info{implementation="CPython",major="3",minor="11",patchlevel="2",'
              'version="3.11.2"} 1.0\n')
    gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.", 179949568.0)
    gauge("process_resident_memory_bytes", "Resident memory size in bytes.", 23175168.0)
    gauge("process_start_time_seconds",
          "Start time of the process since unix epoch in seconds.", start)
    if om:
        header(out, "process_cpu_seconds", "Total user and system CPU time spent in seconds.",
               "counter")
        out.write(f"process_cpu_seconds_total {go_float(812.37)}\n")
    else:
        header(out, "process_cpu_seconds_total",
               "Total user and system CPU time spent in seconds.", "counter")
        out.write(f"process_cpu_seconds_total {go_float(812.37)}\n")
    gauge("process_open_fds", "Number of open file descriptors.", 8.0)
    gauge("process_max_fds", "Maximum number of open file descriptors.", 20000.0)

    statuses = ["completed" if rng.random() < 0.7 else "failed" for _ in range(jobs)]
    failed = statuses.count("failed")
    created = start + 1.0
    counter("reconstruction", "Total number of reconstruction jobs processed", float(jobs),
            created)
    counter("reconstruction_success", "Number of successful reconstruction jobs",
            float(jobs - failed), created)
    counter("reconstruction_failure", "Number of failed reconstruction jobs", float(failed),
            created)
    gauge("e2e3d_active_jobs", "Number of active reconstruction jobs", 3.0)

    name = "e2e3d_job_duration_seconds"
    help_text = "Total time spent processing jobs"
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(jobs)]
    durations = [go_float(round(rng.uniform(0.5, 900.0), 6)) for _ in range(jobs)]
    created_at = [go_float(created + i * 0.0137) for i in range(jobs)]
    if om:
        header(out, name, help_text, "counter")
        for i in range(jobs):
            labels = f'{{job_id="{ids[i]}",status="{statuses[i]}"}}'
            out.write(f"{name}_total{labels} {durations[i]}\n{name}_created{labels} {created_at[i]}\n")
        out.write("# EOF\n")
    else:
        header(out, f"{name}_total", help_text, "counter")
        out.writelines(f'{name}_total{{job_id="{ids[i]}",status="{statuses[i]}"}} {durations[i]}\n'
                       for i in range(jobs))
        header(out, f"{name}_created", help_text, "gauge")
        out.writelines(f'{name}_created{{job_id="{ids[i]}",status="{statuses[i]}"}} {created_at[i]}\n'
                       for i in range(jobs))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("text", "openmetrics"), default="text")
    parser.add_argument("--output")
    args = parser.parse_args()
    suffix = ".om.txt" if args.format == "openmetrics" else ".txt"
    output = args.output or os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                                         f"e2e3d_{args.jobs}{suffix}")
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with open(output, "w", encoding="utf-8", buffering=1 << 20) as out:
        generate(args.jobs, args.format == "openmetrics", out)
    print(f"{output}: {os.path.getsize(output)} bytes, {2 * args.jobs} job series")
    return 0


if __name__ == "__main__":
    sys.exit(main())
