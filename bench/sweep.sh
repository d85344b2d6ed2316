#!/usr/bin/env bash
# Sweep throughput (called by bench/run): elasticity draws of the April 2025
# US-China counterfactual (145 % / 125 %), each draw a cold solve with its own
# world copy and solver, on world2011 and world2011-full, for 1 and 2 threads
# and 1 and 2 MPI ranks; parallel efficiency = speed-up / 2.  Then the target
# case: 1,000 draws on world2011 (target <= 60 s on 2 cores), timed whole
# (mpirun start, world load, solves, gather and writing the CSV).
# solves/s counts the time from the first solve to the gathered results
# (`tradewar sweep --timing`), so process start-up and loading are left out.
# "cores" is the CPU time the run got over its wall time: below 2 for a
# 2-worker run, other work held a core.  The CPU-time efficiency (CPU seconds
# of the 1-worker run over those of the 2-worker run) is the parallel overhead
# alone, which other load on the machine does not change.
set -euo pipefail
cd "$(dirname "$0")/.."
TW=${TW:-build/tradewar}
OUT=${OUT:-bench/out}
CF=data/scenarios/us_china_145_125.csv
mkdir -p "$OUT"
MPIRUN=$(command -v mpirun || true)
mpi() { local np=$1; shift
  "$MPIRUN" --allow-run-as-root --oversubscribe --mca btl self,vader -np "$np" "$@"; }
rate() { sed -n 's/.* s, \([0-9.]*\) solves\/s.*/\1/p' "$1"; }
# run NAME COMMAND...: the command's stderr to NAME.err, "wall user+sys" (the
# process and its children, e.g. the ranks under mpirun) to NAME.time
run() { local name=$1; shift
  local TIMEFORMAT='%R %U %S'
  { time "$@" >/dev/null 2>"$OUT/$name.err"; } 2>"$OUT/$name.time"; }
cpu() { awk '{print $2 + $3}' "$OUT/$1.time"; }
cores() { awk '{printf "%.2f", ($2 + $3) / $1}' "$OUT/$1.time"; }

line() { # label name1 name2: solves/s of both, wall and CPU-time efficiency
  awk -v l="$1" -v r1="$(rate "$OUT/$2.err")" -v r2="$(rate "$OUT/$3.err")" \
      -v c1="$(cpu "$2")" -v c2="$(cpu "$3")" -v k1="$(cores "$2")" -v k2="$(cores "$3")" 'BEGIN {
    printf "  %-8s 1: %7.1f solves/s (%.2f cores)  2: %7.1f solves/s (%.2f cores)  efficiency %5.1f %%  (CPU time %5.1f %%)\n",
           l, r1, k1, r2, k2, 100 * r2 / (2 * r1), 100 * c1 / c2 }'
}

run_case() { # world draws
  local world=$1 draws=$2 args same=yes
  args=(sweep --world "$1" --tariffs $CF --draws "$2" --seed 1 --quiet --timing)
  echo "$world, $((draws + 1)) solves (point estimate + $draws draws)"
  run t1 "$TW" "${args[@]}" --out "$OUT/sweep_t1.csv"
  run t2 "$TW" "${args[@]}" --threads 2 --out "$OUT/sweep_t2.csv"
  line threads t1 t2
  cmp -s "$OUT/sweep_t1.csv" "$OUT/sweep_t2.csv" || same=NO
  if [ -n "$MPIRUN" ]; then
    run m1 mpi 1 "$TW" "${args[@]}" --out "$OUT/sweep_m1.csv"
    run m2 mpi 2 "$TW" "${args[@]}" --out "$OUT/sweep_m2.csv"
    line ranks m1 m2
    cmp -s "$OUT/sweep_t1.csv" "$OUT/sweep_m1.csv" || same=NO
    cmp -s "$OUT/sweep_t1.csv" "$OUT/sweep_m2.csv" || same=NO
  fi
  echo "  per-draw CSVs byte-identical across the splits: $same"
}

echo "== sweep throughput: draws of $CF (sigma 0.25), cold solves"
echo "   machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
run_case world2011 "${DRAWS:-200}"
run_case world2011-full "${DRAWS_FULL:-40}"

echo "== 1,000 draws of world2011 (target <= 60 s on 2 cores)"
big=(sweep --tariffs $CF --draws 1000 --seed 1 --quiet --timing --out "$OUT/sweep_1000.csv")
if [ -n "$MPIRUN" ]; then
  run big mpi 2 "$TW" "${big[@]}"; how="mpirun -np 2"
else
  run big "$TW" "${big[@]}" --threads 2; how="--threads 2"
fi
awk -v how="$how" -v r="$(rate "$OUT/big.err")" -v k="$(cores big)" '{
  printf "  %s: %.2f s whole command (%.1f solves/s in the sweep, %.2f cores), %.3f of the 60 s target\n",
         how, $1, r, k, $1 / 60 }' "$OUT/big.time"
grep -E 'did not converge' "$OUT/big.err" | sed 's/^/  /' || true

# the row of issue 15: 1 -> 2 threads on the 1,000 draws, median of 3 pairs
# (wall: what a user sees, needs a quiet machine; CPU time: the overhead alone)
echo "== 1,000 draws of world2011, 1 and 2 threads, median of 3 (goal: efficiency >= 90 % on a quiet machine)"
for _ in 1 2 3; do
  run e1 "$TW" "${big[@]}"
  run e2 "$TW" "${big[@]}" --threads 2
  echo "$(rate "$OUT/e1.err") $(rate "$OUT/e2.err") $(cpu e1) $(cpu e2) $(cores e2)"
done | python3 -c 'import sys, statistics as st
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
wall = sorted(100 * r2 / (2 * r1) for r1, r2, c1, c2, k in rows)
cpu = st.median(100 * c1 / c2 for r1, r2, c1, c2, k in rows)
cores = sorted(k for *_, k in rows)
print("  efficiency %5.1f %% wall (runs %.1f-%.1f %%), %5.1f %% CPU time; the 2-thread runs got %.2f-%.2f cores"
      % (st.median(wall), wall[0], wall[-1], cpu, cores[0], cores[-1]))' | tee "$OUT/threads_1000.txt"
rm -f "$OUT"/sweep_t?.csv "$OUT"/sweep_m?.csv "$OUT"/*.err "$OUT"/*.time
