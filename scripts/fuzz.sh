#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` CMake preset, clang, build-fuzz/) and runs one of
# them, or each in turn, for a given time; prints executions and findings per target.
#   scripts/fuzz.sh fuzz_exposition 600   # one target for ten minutes
#   scripts/fuzz.sh all 10                # every target briefly (CI)
#   scripts/fuzz.sh list                  # the targets this tree builds
# Seeds: fuzz/corpus/<target>/ (in git) and fuzz/regressions/<target>/ (inputs that once failed);
# new interesting inputs go to fuzz/corpus-work/<target>/ and findings (crash-*, leak-*,
# timeout-*, oom-*) to fuzz/corpus-work/findings/<target>/ (both ignored by git). A finding is
# minimised with: build-fuzz/fuzz/<target> -minimize_crash=1 -runs=100000 <finding>
# libFuzzer stops at the first finding; FUZZ_KEEP_GOING=1 runs it in fork mode instead, which
# saves every finding and goes on (to look past a known one that is not fixed yet).
# E2E3D_FUZZ_ALLOW_CONTROL_CHARACTERS=1 stops treating control characters in error messages as
# findings, for the same purpose. FUZZ_SEED=N and FUZZ_RUNS=M make a run reproducible (CI).
# Exit code: 0 when no target found anything, 1 otherwise, 64 for bad arguments.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "usage: scripts/fuzz.sh TARGET|all|list SECONDS" >&2
  exit 64
}
[[ $# -ge 1 ]] || usage
what="$1"
seconds="${2:-}"

# FUZZ_FAST=1: the build without ASan (UBSan only), several times more executions per second.
preset=fuzz
[[ ${FUZZ_FAST:-0} == 1 ]] && preset=fuzz-fast
build="build-$preset"
cmake --preset "$preset" >/dev/null
targets=()
mapfile -t targets < <(ninja -C "$build" -t targets all | sed -n 's/^\(fuzz_[a-z_]*\): phony$/\1/p' | sort -u)

if [[ $what == list ]]; then
  printf '%s\n' "${targets[@]}"
  exit 0
fi
[[ $seconds =~ ^[0-9]+$ && $seconds -gt 0 ]] || usage
if [[ $what == all ]]; then
  run=("${targets[@]}")
else
  printf '%s\n' "${targets[@]}" | grep -qx "$what" || {
    echo "fuzz: no target '$what' in this tree (have: ${targets[*]})" >&2
    exit 64
  }
  run=("$what")
fi

cmake --build "$build" --target "${run[@]}" -j"${JOBS:-2}" >/dev/null

# Leaks are findings; a sanitizer report ends the run so the input is saved as crash-*.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

failed=0
for target in "${run[@]}"; do
  work="fuzz/corpus-work/$target"
  findings="fuzz/corpus-work/findings/$target"
  log="fuzz/corpus-work/$target.log"
  mkdir -p "$work" "$findings"
  seeds=()
  for dir in "fuzz/corpus/$target" "fuzz/regressions/$target"; do
    [[ -d $dir ]] && seeds+=("$dir")
  done
  dict=()
  [[ -f fuzz/dicts/$target.dict ]] && dict=("-dict=fuzz/dicts/$target.dict")
  mode=()
  [[ ${FUZZ_KEEP_GOING:-0} == 1 ]] && mode=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
  # FUZZ_SEED=N with FUZZ_RUNS=M: exactly M inputs, mutated in the same order every time, so a
  # CI run is reproducible (a time budget is not: a busier machine explores less).
  [[ -n ${FUZZ_SEED:-} ]] && mode+=("-seed=$FUZZ_SEED")
  [[ -n ${FUZZ_RUNS:-} ]] && mode+=("-runs=$FUZZ_RUNS")
  before=$(find "$findings" -type f | wc -l)
  # -timeout: one input taking over 5 s is a hang; -rss_limit_mb: a bounded tool on a 16 KB
  # input has no business near 2 GB.
  started=$SECONDS
  set +e
  "$build/fuzz/$target" "$work" "${seeds[@]}" "${dict[@]}" "${mode[@]}" \
    -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$findings/" >"$log" 2>&1
  status=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  if [[ -z $execs ]]; then  # fork mode prints no final stats; its last status line has them
    execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -1)
    rate=$(sed -n 's/^#[0-9]*: cov:.* exec\/s: \([0-9]*\).*/\1/p' "$log" | tail -1)
  fi
  after=$(find "$findings" -type f | wc -l)
  new=$((after - before))
  echo "$target: ${execs:-?} executions in $((SECONDS - started)) s of ${seconds} s allowed (${rate:-?}/s), corpus $(find "$work" -type f | wc -l), $new new finding(s), exit $status"
  printf '%s %s %s %s %s\n' "$(date -u +%FT%TZ)" "$target" "${execs:-0}" "$seconds" "$new" >>fuzz/corpus-work/stats.log
  if ((new > 0 || status != 0)); then
    failed=1
    grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|FINDING' "$log" || true
    echo "  log: $log; inputs: $findings/"
  fi
done
exit $failed
