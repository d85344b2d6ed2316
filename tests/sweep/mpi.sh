#!/usr/bin/env bash
# tradewar sweep split over MPI ranks writes the same bytes as one process and
# as threads: -np 2, -np 1, --threads 2 and a plain run (docs/sweep.md, "How
# the work is split, and why results cannot depend on it").
# usage: mpi.sh PATH/TO/tradewar PATH/TO/mpirun
set -u
. "$(dirname "$0")/../common/prologue.sh"
MPIRUN=${2:-mpirun}
# as root mpirun needs --allow-run-as-root; two ranks on a small machine need
# --oversubscribe; shared memory alone (no network) is all one machine needs
mpi() { local np=$1; shift
  "$MPIRUN" --allow-run-as-root --oversubscribe --mca btl self,vader -np "$np" "$@"; }
same() { # description, file, reference
  cmp -s "$2" "$3" && ok || bad "$1: $2 differs from $3: $(diff "$2" "$3" | head -3)"
}

draws=(sweep --tariffs data/scenarios/us_china_30.csv --draws 8 --seed 11 --quiet)
"$TW" "${draws[@]}" --out "$tmp/plain.csv" --summary "$tmp/plain.sum" >"$tmp/plain.txt" 2>"$tmp/err" \
  && ok || bad "plain run: $(cat "$tmp/err")"
[ "$(wc -l < "$tmp/plain.csv")" = $((9 * 21 + 1)) ] && ok || bad "plain: 9 variants x 21 countries"
"$TW" "${draws[@]}" --threads 2 --out "$tmp/thr.csv" --summary "$tmp/thr.sum" >"$tmp/thr.txt" 2>&1 \
  && ok || bad "threads: $(cat "$tmp/thr.txt")"
for np in 1 2; do
  mpi "$np" "$TW" "${draws[@]}" --out "$tmp/np$np.csv" --summary "$tmp/np$np.sum" \
    >"$tmp/np$np.txt" 2>"$tmp/np$np.err" && ok || bad "mpirun -np $np: $(head -5 "$tmp/np$np.err")"
  same "-np $np per-draw CSV" "$tmp/np$np.csv" "$tmp/plain.csv"
  same "-np $np summary CSV" "$tmp/np$np.sum" "$tmp/plain.sum"
  same "-np $np summary table" "$tmp/np$np.txt" "$tmp/plain.txt"
done
same "--threads 2 per-draw CSV" "$tmp/thr.csv" "$tmp/plain.csv"
same "--threads 2 summary table" "$tmp/thr.txt" "$tmp/plain.txt"

# a grid whose rows are warm-started chains, over 2 ranks x 2 threads
grid=(sweep --grid "USA,CHN,*:0:1.5:0.5" --grid "CHN,USA,*:0:1.5:0.1" --quiet)
"$TW" "${grid[@]}" --out "$tmp/g1.csv" >/dev/null 2>"$tmp/err" && ok || bad "grid: $(cat "$tmp/err")"
mpi 2 "$TW" "${grid[@]}" --threads 2 --out "$tmp/g2.csv" >/dev/null 2>"$tmp/err" \
  && ok || bad "grid -np 2: $(head -5 "$tmp/err")"
same "grid -np 2 --threads 2" "$tmp/g2.csv" "$tmp/g1.csv"

# errors: every rank stops, rank 0 alone says why, once
mpi 2 "$TW" sweep --draws 2 --grid "USA,CHX,*:0:1:1" >/dev/null 2>"$tmp/err"
[ $? -ne 0 ] && ok || bad "a bad axis under mpirun must fail"
[ "$(grep -c 'unknown country "CHX"' "$tmp/err")" = 1 ] && ok || bad "error once: $(cat "$tmp/err")"

finish
