#!/usr/bin/env bash
# Small inputs that expand (issue 16, items 10, 11 and 14): each case is run through the binary
# and its peak resident memory printed (GNU time's %M; the demo case: the server's VmHWM).
# The bound is 256 MB for every case; the script exits 1 when a case passes it.
#
#   bench/amplification_bench.sh [-b BUILD_DIR] [-x TOOL]
#
# Cases:
#   yaml-prometheus   doctor --prometheus-config: 400 aliases of 400 aliases of 400 targets
#   yaml-compose      doctor --compose: the same shape under services:
#   yaml-rules        alerts --rules: the same under groups:
#   yaml-file-sd      query --targets-file: a file_sd list whose targets are 400x400x400
#   template-double   alerts: `$x = print $x $x` forty times in an annotation
#   template-width    alerts: 300 x printf "%999999v" in an annotation
#   demo-stalled      demo --initial-jobs 200000 (a ~50 MB response), 12 clients that send a
#                     request and never read, then one that reads; peak of the demo process
#   demo-idle         demo, 300 idle connections, then a scrape: its latency is printed too
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
build="$root/build"
tool=""
while getopts "b:x:" opt; do
  case $opt in
    b) build="$OPTARG" ;;
    x) tool="$OPTARG" ;;
    *) sed -n '2,20p' "$0"; exit 64 ;;
  esac
done
tool="${tool:-$build/e2e3d-metrics}"
limit_kb=$((256 * 1024))
work="$(mktemp -d)"
demo_pid=""
cleanup() {
  [[ -n "$demo_pid" ]] && kill "$demo_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

laughs() {  # KEY ITEM: three levels of 400 aliases, the innermost list holds ITEM
  python3 - "$1" "$2" <<'PY'
import sys
key, item = sys.argv[1], sys.argv[2]
print("x-a: &a [" + ",".join([item] * 400) + "]")
print("x-b: &b [" + ",".join(["*a"] * 400) + "]")
print(key + ": [" + ",".join(["*b"] * 400) + "]")
PY
}

laughs scrape_configs x > "$work/prometheus.yml"
laughs services x > "$work/compose.yml"
laughs groups x > "$work/rules.yml"
python3 - > "$work/file_sd.yml" <<'PY'
a = ",".join(['"127.0.0.1:1"'] * 400)
b = ",".join(["*a"] * 400)
print("- targets: &a [" + a + "]")
print("- targets: &b [" + b + "]")
print("- targets: [" + ",".join(["*b"] * 400) + "]")
PY
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
rule = "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: vector(1)\n    annotations:\n      summary: '{}'\n"
with open(f"{work}/double.yml", "w") as f:
    f.write(rule.format('{{$x := "ab"}}' + "{{$x = print $x $x}}" * 40 + "{{$x}}"))
with open(f"{work}/width.yml", "w") as f:
    f.write(rule.format('{{printf "%999999v" 1}}' * 300))
PY
fixture="$root/tests/fixtures/e2e3d_python.txt"

failed=0
report() {  # NAME KB SECONDS [NOTE]
  local verdict="ok"
  if (($2 > limit_kb)); then verdict="OVER 256 MB"; failed=1; fi
  printf '%-17s %8.1f MB %7.2f s  %s %s\n' "$1" "$(echo "$2/1024" | bc -l)" "$3" "$verdict" "${4:-}"
}
run_case() {  # NAME ARGS...
  local name="$1"; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/time" "$tool" "$@" > "$work/out" 2> "$work/err" || true
  end=$(date +%s.%N)
  report "$name" "$(tail -1 "$work/time")" "$(echo "$end - $start" | bc -l)" \
    "($(head -c 90 "$work/err" | tr '\n' ' '))"
}

printf '%-17s %11s %9s  %s\n' case "peak RSS" time verdict
run_case yaml-prometheus doctor --url http://127.0.0.1:1/metrics --check prometheus.config \
  --prometheus-config "$work/prometheus.yml"
run_case yaml-compose doctor --url http://127.0.0.1:1/metrics --check env.enable_metrics \
  --compose "$work/compose.yml"
run_case yaml-rules alerts --file "$fixture" --rules "$work/rules.yml"
run_case yaml-file-sd query --targets-file "$work/file_sd.yml" up
run_case template-double alerts --file "$fixture" --rules "$work/double.yml" -o json
run_case template-width alerts --file "$fixture" --rules "$work/width.yml" -o json

# The demo server: its own peak (VmHWM), while clients misbehave.
demo_case() {  # NAME INITIAL_JOBS CLIENT_SCRIPT
  "$tool" demo --port 0 --initial-jobs "$2" --rate 0 > "$work/demo.out" 2>&1 &
  demo_pid=$!
  local port=""
  for _ in $(seq 100); do
    port=$(grep -oE '127\.0\.0\.1:[0-9]+' "$work/demo.out" | head -1 | cut -d: -f2 || true)
    [[ -n "$port" ]] && break
    sleep 0.1
  done
  local start end note
  start=$(date +%s.%N)
  note=$(python3 - "$port" "$3" <<'PY'
import socket, sys, time
port, kind = int(sys.argv[1]), sys.argv[2]
held = []
def scrape():
    t = time.time()
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    n = 0
    while True:
        b = s.recv(1 << 20)
        if not b: break
        n += len(b)
    return n, time.time() - t
if kind == "stalled":
    for _ in range(12):
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", port)); s.sendall(b"GET /metrics HTTP/1.1\r\n\r\n"); held.append(s)
        time.sleep(0.3)
    time.sleep(1)
else:
    for _ in range(300):
        held.append(socket.create_connection(("127.0.0.1", port)))
n, took = scrape()
print(f"(a scraper got {n} bytes in {took:.2f} s)")
PY
)
  end=$(date +%s.%N)
  local hwm
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$demo_pid/status")
  kill "$demo_pid"; wait "$demo_pid" 2>/dev/null || true; demo_pid=""
  report "$1" "$hwm" "$(echo "$end - $start" | bc -l)" "$note"
}
demo_case demo-stalled 200000 stalled
demo_case demo-idle 40 idle
exit $failed
