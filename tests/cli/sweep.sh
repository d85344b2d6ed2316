#!/usr/bin/env bash
# tradewar sweep: outputs, bands, grids, threads, failures and usage errors.
# (Splits over MPI ranks: tests/sweep/mpi.sh.)  usage: sweep.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"
CF=data/scenarios/us_china_30.csv

expect_rc 0 "help" "$TW" sweep --help
for k in --draws --grid --threads --theta-set --timeline --nash; do
  grep -q -- "$k" "$tmp/out" && ok || bad "sweep --help lists $k"
done
"$TW" --help | grep -q '^  sweep ' && ok || bad "tradewar --help lists sweep"

# draws: the per-draw CSV, the summary, and threads giving the same bytes
expect_rc 0 "draws" "$TW" sweep --tariffs $CF --draws 6 --seed 3 --out "$tmp/d1.csv" --summary "$tmp/s1.csv"
cp "$tmp/out" "$tmp/t1.txt"
head -n 1 "$tmp/d1.csv" | grep -qx 'theta,draw,grid_point,country,welfare_pct,real_wage_pct,price_index_pct,tot_pct,vot_pct,exports_pct,imports_pct,tariff_revenue_gdp_pct,etr_pre_pct,etr_post_pct,real_gdp_pct,ev,consumer_cost,converged,iterations,residual' \
  && ok || bad "CSV header: $(head -n 1 "$tmp/d1.csv")"
[ "$(grep -c '^world,,0,' "$tmp/d1.csv")" = 21 ] && ok || bad "point estimate rows"
[ "$(grep -c '^lognormal,5,0,' "$tmp/d1.csv")" = 21 ] && ok || bad "draw 5 rows"
[ "$(awk -F, 'NR > 1 && $18 != 1' "$tmp/d1.csv" | wc -l)" = 0 ] && ok || bad "all converged"
grep -q '^USA      welfare_pct ' "$tmp/t1.txt" && ok || bad "summary table: $(head -8 "$tmp/t1.txt")"
grep -q '^solves: 7; failed (did not converge): 0$' "$tmp/t1.txt" && ok || bad "solve count line"
head -n 1 "$tmp/s1.csv" | grep -qx 'grid_point,country,statistic,estimate,median,p5,p95,n,failed' \
  && ok || bad "summary CSV header"
expect_rc 0 "threads" "$TW" sweep --tariffs $CF --draws 6 --seed 3 --threads 2 --out "$tmp/d2.csv" --summary "$tmp/s2.csv"
cmp -s "$tmp/d1.csv" "$tmp/d2.csv" && ok || bad "--threads 2 per-draw CSV differs"
cmp -s "$tmp/s1.csv" "$tmp/s2.csv" && ok || bad "--threads 2 summary CSV differs"
cmp -s "$tmp/t1.txt" "$tmp/out" && ok || bad "--threads 2 summary table differs"

# zero variance: every band collapses to the point estimate
expect_rc 0 "sigma 0" "$TW" sweep --tariffs $CF --draws 4 --sigma 0 --summary "$tmp/z.csv"
[ "$(awk -F, 'NR > 1 && !($4 == $5 && $5 == $6 && $6 == $7)' "$tmp/z.csv" | wc -l)" = 0 ] \
  && ok || bad "sigma 0 bands: $(awk -F, 'NR > 1 && !($4 == $5 && $5 == $6)' "$tmp/z.csv" | head -2)"

# a 2 x 2 grid, solved cold, equals four single solves (same digits)
expect_rc 0 "grid" "$TW" sweep --tariffs $CF --cold --grid "USA,CHN,*:0.5:1:0.5" \
  --grid "CHN,USA,*:0.25:0.5:0.25" --out "$tmp/g.csv"
[ "$(wc -l < "$tmp/g.csv")" = $((4 * 21 + 1)) ] && ok || bad "grid rows"
grep -q 'welfare of USA, % (point estimate)' "$tmp/out" && ok || bad "welfare map: $(head -12 "$tmp/out")"
for a in 0.5 1; do for b in 0.25 0.5; do
  printf 'importer,exporter,sector,rate\nUSA,CHN,*,%s\nCHN,USA,*,%s\n' "$a" "$b" > "$tmp/p.csv"
  "$TW" solve --tariffs $CF --tariffs "$tmp/p.csv" --json > "$tmp/p.json"
  want=$(grep -o '"code":"USA","name":"[^"]*","welfare_pct":[^,]*' "$tmp/p.json" | sed 's/.*://')
  got=$(awk -F, -v a="$a" -v b="$b" '$4 == a && $5 == b && $6 == "USA" {print $7}' "$tmp/g.csv")
  awk -v x="$want" -v y="$got" 'BEGIN { d = x - y; exit !(y != "" && d < 1e-12 && d > -1e-12) }' \
    && ok || bad "grid point $a,$b: sweep $got, solve $want"
done; done

# elasticity sets shipped with world2011
expect_rc 0 "theta sets" "$TW" sweep --tariffs $CF --theta-set all --out "$tmp/sets.csv"
[ "$(cut -d, -f1 "$tmp/sets.csv" | sort -u | tr '\n' ' ')" = "ll2023 short-run theta tradmod uniform4 world " ] \
  && ok || bad "set labels: $(cut -d, -f1 "$tmp/sets.csv" | sort -u | tr '\n' ' ')"
grep -qE '^country +statistic +estimate +tradmod +ll2023 +uniform4 +short-run$' "$tmp/out" \
  && ok || bad "set columns"
# the point set moves with --elasticities; the world's default is then one of the sets
expect_rc 0 "theta sets around uniform4" "$TW" sweep --tariffs $CF --elasticities uniform4 --theta-set all
grep -qE '^country +statistic +estimate +cp2015 +tradmod +ll2023 +short-run$' "$tmp/out" \
  && ok || bad "set columns around uniform4"

# a timeline step as the policy
expect_rc 0 "timeline step" "$TW" sweep --timeline data/scenarios/us-china-2025.tw --step 2025-04-12 --draws 2
expect_rc 2 "unknown step" "$TW" sweep --timeline data/scenarios/us-china-2025.tw --step 2025-13-01
expect_err 'tradewar: data/scenarios/us-china-2025.tw: no step "2025-13-01" (expected a date YYYY-MM-DD, a label or "last")'

# failures are reported and counted; when every solve fails the exit code says so
expect_rc 1 "all failed" "$TW" sweep --tariffs $CF --draws 2 --max-iter 1 --out "$tmp/f.csv"
expect_err 'tradewar: sweep: 3 of 3 solves did not converge; they are listed in the summary, left out of the bands, and have converged=0 in --out'
grep -q '^solves: 3; failed (did not converge): 3$' "$tmp/out" && ok || bad "failure count"
grep -q '^  failed: theta lognormal draw 1, grid point 0$' "$tmp/out" && ok || bad "failure listed"
[ "$(awk -F, 'NR > 1 && $18 == 0 && $5 == ""' "$tmp/f.csv" | wc -l)" = 63 ] && ok || bad "failed rows empty"

# output is atomic: nothing is left behind when it cannot be written
expect_rc 3 "unwritable" "$TW" sweep --draws 1 --out "$tmp/no/such/dir/x.csv"
[ ! -e "$tmp/no" ] && ok || bad "partial output"

# usage errors
expect_rc 2 "bad draws" "$TW" sweep --draws 0
expect_err 'tradewar: sweep: --draws "0" is not a positive integer'
expect_rc 2 "draws and sets" "$TW" sweep --draws 2 --theta-set all
expect_err 'tradewar: sweep: --draws and --theta-set: choose one'
expect_rc 2 "bad axis" "$TW" sweep --grid "USA,CHX,*:0:1:0.5"
expect_err 'tradewar: --grid: axis "USA,CHX,*:0:1:0.5": unknown country "CHX" (did you mean "CHN"?)'
expect_rc 2 "no other set" "$TW" sweep --world cp1993 --theta-set all
expect_err 'tradewar: --theta-set: world '"$PWD"'/data/cp1993 names no other elasticity set (give a file of sets)'
expect_rc 2 "unknown set" "$TW" sweep --theta-set ll2032
expect_err 'tradewar: --theta-set: no elasticity set "ll2032" (the world has: cp2015, tradmod, ll2023, uniform4, short-run)' 
expect_rc 2 "step without timeline" "$TW" sweep --step 2025-04-12
expect_err 'tradewar: sweep: --step needs --timeline FILE'
expect_rc 2 "bad nash" "$TW" sweep --nash USA,CHX
expect_err 'tradewar: --nash: unknown country "CHX"'

finish
