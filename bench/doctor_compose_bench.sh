#!/usr/bin/env bash
# doctor on the document's Compose deployment (service + Prometheus, real containers) against the
# checklist an operator types by hand for the same answers. Prints every run, the medians and
# the ratio. Target (issue 12): a healthy deployment diagnosed in under 150 ms.
#
#   bench/doctor_compose_bench.sh [-n RUNS] [-b BUILD_DIR]
#
# The daemon is the container tests' (BUILD_DIR/test_docker_daemon: a running one, else a
# private dockerd it stops again). Measured, alternating within each run:
#   doctor      e2e3d-metrics doctor --url http://127.0.0.1:PORT/metrics -o json (all checks)
#   by-hand     docker inspect SVC; docker top SVC; curl URL; docker logs --tail 200 SVC;
#               docker logs --tail 200 PROM; docker cp PROM:/config/prometheus.yml -;
#               curl PROM/api/v1/targets   (the docker CLI of docker.io, one process each)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
runs=7
build="$root/build"
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    -b) build="$2"; shift 2 ;;
    *) echo "usage: $0 [-n RUNS] [-b BUILD_DIR]" >&2; exit 64 ;;
  esac
done
tool="$build/e2e3d-metrics"
state="$(mktemp -d /tmp/e2e3d-bench-state-XXXXXX)"
project="e2e3dbench$$"
work="$(mktemp -d /tmp/e2e3d-bench-XXXXXX)"
cleanup() {
  DOCKER_HOST="${DOCKER_HOST:-}" docker-compose -p "$project" -f "$work/docker-compose.yml" \
    down --timeout 1 >/dev/null 2>&1 || true
  "$build/test_docker_daemon" stop "$state" >/dev/null || true
  rm -rf "$work" "$state"
}
trap cleanup EXIT

"$build/test_docker_daemon" start "$state" >/dev/null
if [[ ! -s "$state/host" ]]; then
  echo "no Docker daemon: $(cat "$state/unavailable")" >&2
  exit 1
fi
export DOCKER_HOST="$(cat "$state/host")"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: 1s, scrape_timeout: 1s}
scrape_configs:
  - job_name: 'e2e3d'
    static_configs:
      - targets: ['reconstruction-service:9101']
YAML
cat > "$work/docker-compose.yml" <<YAML
version: "3.8"
x-host: &host
  image: e2e3d-test-host:latest
  init: true
services:
  reconstruction-service:
    <<: *host
    command: ["/usr/bin/python3", "/support/e2e3d_exporter.py", "--bind", "0.0.0.0", "--port", "9101", "--require-enable-metrics"]
    environment: [ENABLE_METRICS=true]
    ports: ["$port:9101"]
    volumes: [/usr:/usr:ro, /lib:/lib:ro, /lib64:/lib64:ro, /bin:/bin:ro, /etc:/etc:ro, "$root/tests/support:/support:ro"]
  prometheus:
    <<: *host
    command: ["/usr/bin/prometheus", "--config.file=/config/prometheus.yml", "--storage.tsdb.path=/tmp/prometheus"]
    volumes: [/usr:/usr:ro, /lib:/lib:ro, /lib64:/lib64:ro, /bin:/bin:ro, /etc:/etc:ro, "$work:/config:ro"]
YAML
docker-compose -p "$project" -f "$work/docker-compose.yml" up -d >/dev/null 2>&1
svc="$(docker inspect --format '{{.Name}}' "$(docker-compose -p "$project" -f "$work/docker-compose.yml" ps -q reconstruction-service)" | tr -d /)"
prom="$(docker inspect --format '{{.Name}}' "$(docker-compose -p "$project" -f "$work/docker-compose.yml" ps -q prometheus)" | tr -d /)"
prom_ip="$(docker inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$prom")"
url="http://127.0.0.1:$port/metrics"
for _ in $(seq 100); do
  curl -sf "http://$prom_ip:9090/api/v1/targets" | grep -q '"health":"up"' && break
  sleep 0.2
done

ms() { python3 -c "import sys; print(f'{(float(sys.argv[2])-float(sys.argv[1]))*1000:.1f}')" "$1" "$2"; }
now() { date +%s.%N; }
doctor_times=() hand_times=()
for i in $(seq "$runs"); do
  t0=$(now)
  "$tool" doctor --url "$url" -o json > "$work/doctor.json" || true
  t1=$(now)
  docker inspect "$svc" >/dev/null
  docker top "$svc" >/dev/null
  curl -s -o /dev/null "$url"
  docker logs --tail 200 "$svc" >/dev/null 2>&1
  docker logs --tail 200 "$prom" >/dev/null 2>&1
  docker cp "$prom:/config/prometheus.yml" - >/dev/null
  curl -s -o /dev/null "http://$prom_ip:9090/api/v1/targets"
  t2=$(now)
  doctor_times+=("$(ms "$t0" "$t1")") hand_times+=("$(ms "$t1" "$t2")")
  printf 'run %d: doctor %6s ms   by-hand %6s ms\n' "$i" "${doctor_times[-1]}" "${hand_times[-1]}"
done
python3 - "$work/doctor.json" "${doctor_times[*]}" "${hand_times[*]}" <<'PY'
import json, statistics, sys
report = json.load(open(sys.argv[1]))
d = statistics.median(map(float, sys.argv[2].split()))
h = statistics.median(map(float, sys.argv[3].split()))
print(f"doctor verdicts: " + ", ".join(f"{c['id']}={c['status']}" for c in report["checks"]))
print(f"median: doctor {d:.1f} ms, by-hand {h:.1f} ms, ratio by-hand/doctor {h/d:.1f}x; "
      f"target < 150 ms: {'met' if d < 150 else 'NOT met'}")
PY
