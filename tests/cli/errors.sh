#!/usr/bin/env bash
# Messages where a user needs help most: an unknown world name, values far
# outside their published range, missing input files (I/O errors, exit 3) and
# a baseline that is not an equilibrium of the model.
# usage: errors.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"
# expect RC STDERR WHAT COMMAND...: the exit status and the whole of stderr
expect() {
  local want=$1 msg=$2 what=$3; shift 3
  expect_rc "$want" "$what" "$@"
  expect_stderr "$msg" "$what"
}
nofile='cannot open: No such file or directory'

# ---- an unknown world: the embedded worlds, and the closest --------------------------
mkdir -p "$tmp/data/alpha" "$tmp/data/beta" "$tmp/data/scenarios"
touch "$tmp/data/alpha/countries.csv" "$tmp/data/beta/countries.csv"
expect 2 'tradewar: unknown world "nosuch" (embedded worlds: alpha, beta; or give a path to a world directory)' \
  "unknown world" env TRADEWAR_DATA="$tmp/data" "$TW" solve --world nosuch
expect 2 'tradewar: unknown world "alpah"; did you mean "alpha"? (embedded worlds: alpha, beta; or give a path to a world directory)' \
  "misspelt world" env TRADEWAR_DATA="$tmp/data" "$TW" validate --world alpah
"$TW" info --world nosuch >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 2 ] && ok || bad "unknown shipped world: exit $rc"
case "$(cat "$tmp/err")" in
  'tradewar: unknown world "nosuch" (embedded worlds: cp1993, cp1993-balanced, world2011, world2011-full, '*'; or give a path to a world directory)') ok ;;
  *) bad "unknown shipped world: $(cat "$tmp/err")" ;;
esac

# ---- values outside their published range: file:line ------------------------------
printf 'importer,exporter,sector,factor\nUSA,CHN,*,1.2\nCHN,USA,AGR,1e-308\n' > "$tmp/ntb.csv"
expect 2 "tradewar: $tmp/ntb.csv:3:4: factor \"1e-308\" is out of range (expected 0.001 <= factor <= 10000)" \
  "NTB factor 1e-308" "$TW" solve --ntb "$tmp/ntb.csv"
cp -r tests/data/good/tiny3x2 "$tmp/theta"
printf 'code,name,theta,tradable\nGDS,Goods,1e-300,1\nSRV,Services,3,0\n' > "$tmp/theta/sectors.csv"
expect 2 'tradewar: sectors.csv:2: theta "1e-300" for sector GDS is out of range (expected 0.1 <= theta <= 1000)' \
  "validate theta 1e-300" "$TW" validate --world "$tmp/theta"
cp -r tests/data/good/tiny3x2 "$tmp/households"
printf 'country,households,year,source\nUSA,130,2011,CPS\n' > "$tmp/households/households.csv"
expect 2 'tradewar: households.csv:2: year "2011" for USA is not the world'"'"'s data year (expected 2024, the year of meta.csv)' \
  "households of another year" "$TW" solve --world "$tmp/households"
printf 'set,sector,theta\nx,AGR,4\nx,MIN,1500\n' > "$tmp/sets.csv"
expect 2 "tradewar: $tmp/sets.csv:3: theta \"1500\" for x MIN is out of range (expected 0.1 <= theta <= 1000)" \
  "elasticity set theta 1500" "$TW" sweep --tariffs data/scenarios/us_china_30.csv \
  --theta-set all --theta-file "$tmp/sets.csv"

# ---- a missing input file is an I/O error: exit 3 -----------------------------------
expect 3 "tradewar: $tmp/none.csv: $nofile" "missing --tariffs" "$TW" solve --tariffs "$tmp/none.csv"
expect 3 "tradewar: $tmp/none.csv: $nofile" "missing --ntb" "$TW" solve --ntb "$tmp/none.csv"
cp -r tests/data/good/tiny3x2 "$tmp/notrade"
rm "$tmp/notrade/trade.csv"
expect 3 "tradewar: trade.csv: $nofile" "missing trade.csv" "$TW" solve --world "$tmp/notrade"
expect 3 "tradewar: $tmp/none.tw: $nofile" "missing scenario" "$TW" timeline "$tmp/none.tw"
expect 3 "tradewar: $tmp/none.csv: $nofile" "missing ICIO table" \
  "$TW" import icio "$tmp/none.csv" --theta 4 --out "$tmp/imported"
expect 3 "tradewar: $tmp/none.csv: $nofile" "missing GDP file" \
  "$TW" import bilateral --trade tests/data/import/trade3.csv --gdp "$tmp/none.csv" --theta 4 \
  --out "$tmp/imported"
expect 3 "tradewar: $tmp/none.csv: $nofile" "missing aggregation map" \
  "$TW" aggregate --countries "$tmp/none.csv" --out "$tmp/aggregated"
expect 3 "tradewar: $tmp/none.csv: $nofile" "missing --theta-file" \
  "$TW" sweep --tariffs data/scenarios/us_china_30.csv --theta-set all --theta-file "$tmp/none.csv"
[ ! -e "$tmp/imported" ] && [ ! -e "$tmp/aggregated" ] && ok || bad "a failed command wrote a world"

# ---- a module that is not there (cli/module.c): said, exit 3, nothing written --------
mkdir -p "$tmp/bare/bin"
cp "$TW" "$tmp/bare/bin/tradewar"
expect_rc 3 "plot module missing" \
  "$tmp/bare/bin/tradewar" solve --world cp1993 --deficits purge --plot "$tmp/bare/nafta.svg"
grep -qE "^tradewar: cannot load the plot module: $tmp/bare/bin/\.\./lib[^:]*/tradewar/tradewar-plot\.so: cannot open shared object file" "$tmp/err" \
  && grep -qF "  hint: rebuild (make build) or reinstall tradewar" "$tmp/err" && ok \
  || bad "plot module missing: $(cat "$tmp/err")"
[ ! -e "$tmp/bare/nafta.svg" ] && ok || bad "a chart was written without the plot module"

# ---- a baseline that is not an equilibrium of the model --------------------------------
gap='tradewar: warning: the baseline of cp1993 is not an equilibrium of the model: a zero shock moves IDN welfare by +0.725 % (the largest gap), and every change reported includes that move
  hint: use --deficits purge, which starts from an equilibrium'
expect 0 "$gap" "cp1993 zero shock" "$TW" solve --world cp1993
expect 0 "$gap" "cp1993 zero shock, json" "$TW" solve --world cp1993 --json
grep -qF '"baseline_gap":{"country":"IDN","welfare_pct":0.72504' "$tmp/out" && ok \
  || bad "cp1993 json lacks the baseline gap: $(grep -o '"baseline_gap":[^]]*' "$tmp/out" | head -c 200)"
expect 0 "" "cp1993 purged" "$TW" solve --world cp1993 --deficits purge --json
grep -qF '"baseline_gap":null' "$tmp/out" && ok || bad "purged json: baseline_gap is not null"
expect 0 "" "world2011" "$TW" solve --tariffs data/scenarios/us_china_30.csv --json
grep -qF '"baseline_gap":null' "$tmp/out" && ok || bad "world2011 json: baseline_gap is not null"

finish
