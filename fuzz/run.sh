#!/usr/bin/env bash
# Run the fuzz targets for a bounded time each and fail on any crash, leak,
# timeout or broken property (docs/testing.md).  `make fuzz` calls it.
# usage: run.sh OUT SECONDS [TARGET...]
#   OUT       the build folder of fuzz/Makefile (binaries, seeds/)
#   SECONDS   -max_total_time of each target
#   TARGET    fuzz_world fuzz_scenario fuzz_counterfactual fuzz_json (default: all)
# FUZZ_JOBS targets run at once (default: the number of cores, at most 4).
# Each keeps its corpus in OUT/corpus/TARGET (it grows from run to run), reads
# the seeds and fuzz/regressions/TARGET, logs to OUT/logs/TARGET.log and
# writes a failing input to OUT/crashes/TARGET-<kind>-<hash>.
set -uo pipefail
out=$1 secs=$2
shift 2
root="$(cd "$(dirname "$0")/.." && pwd)"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_world fuzz_scenario fuzz_counterfactual fuzz_json)
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
[ "$jobs" -gt 4 ] && jobs=4
mkdir -p "$out/logs" "$out/crashes"

max_len() {
  case $1 in
    fuzz_world) echo 16384 ;;          # a world's N*N*J arrays grow with the input
    fuzz_scenario) echo 32768 ;;       # data/scenarios/us-china-2025.tw is 26 kB
    *) echo 8192 ;;
  esac
}

run_one() {
  local t=$1
  mkdir -p "$out/corpus/$t" "$root/fuzz/regressions/$t"
  local dirs=("$out/corpus/$t" "$out/seeds/$t" "$root/fuzz/regressions/$t")
  "$out/$t" -max_total_time="$secs" -timeout=60 -rss_limit_mb=3072 -max_len="$(max_len "$t")" \
    -dict="$root/fuzz/$t.dict" -artifact_prefix="$out/crashes/$t-" -print_final_stats=1 \
    "${dirs[@]}" >"$out/logs/$t.log" 2>&1
  echo $? >"$out/logs/$t.rc"
}

before=$(ls "$out/crashes" | wc -l)
running=0
for t in "${targets[@]}"; do
  [ -x "$out/$t" ] || { echo "fuzz: $out/$t is not built (make -C fuzz)" >&2; exit 2; }
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
done
wait

fail=0
printf '%-22s %8s %10s %8s %8s %8s  %s\n' target seconds execs exec/s cov corpus result
for t in "${targets[@]}"; do
  log=$out/logs/$t.log rc=$(cat "$out/logs/$t.rc")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
  res=ok
  if [ "$rc" != 0 ]; then
    res="FAILED (exit $rc; $(grep -m1 -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: property)' "$log" || echo 'see log'))"
    fail=1
  fi
  printf '%-22s %8s %10s %8s %8s %8s  %s\n' "$t" "$secs" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${corp:-?}" "$res"
done
after=$(ls "$out/crashes" | wc -l)
if [ "$fail" != 0 ] || [ "$after" -gt "$before" ]; then
  echo "fuzz: failing inputs in $out/crashes (logs in $out/logs); replay one with" >&2
  echo "  $out/TARGET FILE   and add it to fuzz/regressions/TARGET/ once fixed" >&2
  exit 1
fi
