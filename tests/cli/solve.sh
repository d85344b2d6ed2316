#!/usr/bin/env bash
# The tradewar command: output formats, exit codes, exact error lines and
# atomic output.  usage: solve.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"

expect_rc 0 "version" "$TW" --version
grep -qE '^tradewar [0-9]+\.[0-9]+\.[0-9]+$' "$tmp/out" && ok || bad "version text"
expect_rc 0 "help" "$TW" solve --help
grep -q -- '--deficits' "$tmp/out" && ok || bad "solve --help lists --deficits"
expect_rc 2 "no command" "$TW"
expect_rc 2 "unknown command" "$TW" frobnicate
expect_err 'tradewar: unknown command "frobnicate"'
planned=$("$TW" --help | sed -n 's/^not built yet: *//p' | cut -d, -f1 | tr -d ' ')
if [ -n "$planned" ]; then
  expect_rc 2 "planned command" "$TW" "$planned"
  expect_err "tradewar: $planned: not built yet in this version"
fi
expect_rc 2 "unknown option" "$TW" solve --frob
expect_err 'tradewar: solve: unknown option "--frob"'
expect_rc 2 "bad method" "$TW" solve --method magic
expect_err 'tradewar: solve: --method "magic" is not newton or tatonnement'
expect_rc 2 "bad tol" "$TW" solve --tol -1
# one tolerance range for the library, the CLI and the server
expect_rc 2 "tol too loose" "$TW" solve --tol 1e-3
expect_err 'tradewar: solve: --tol "1e-3" is not a number in [1e-14, 1e-4]'
expect_rc 2 "tol too tight" "$TW" solve --tol 1e-15
expect_rc 2 "missing value" "$TW" solve --tariffs
expect_err 'tradewar: solve: option --tariffs needs a value'

# JSON contract (docs/data-format.md)
expect_rc 0 "solve json" "$TW" solve --tariffs data/scenarios/us_china_30.csv --json
for key in '"converged":true' '"iterations":' '"residual":' '"countries":' '"code":"USA"' \
           '"welfare_pct":' '"real_wage_pct":' '"price_index_pct":' '"tot_pct":' '"vot_pct":' \
           '"exports_pct":' '"imports_pct":' '"tariff_revenue":' '"year":"2011"'; do
  grep -q -- "$key" "$tmp/out" && ok || bad "json lacks $key"
done
[ "$(wc -l < "$tmp/out")" -eq 1 ] && ok || bad "json is one line"

# CSV: header + one row per country (21)
expect_rc 0 "solve csv" "$TW" solve --tariffs data/scenarios/us_china_30.csv --csv
[ "$(head -n 1 "$tmp/out" | cut -d, -f1-3)" = "code,welfare_pct,real_wage_pct" ] && ok || bad "csv header"
[ "$(wc -l < "$tmp/out")" -eq 22 ] && ok || bad "csv rows"

# table names the data year and the convergence
expect_rc 0 "solve table" "$TW" solve --world cp1993-balanced --tariffs data/cp1993-balanced/nafta_2005.csv
grep -q 'data year 1993' "$tmp/out" && ok || bad "table names the year"
grep -qE '^converged: [0-9]+ iterations' "$tmp/out" && ok || bad "table reports convergence"
head_row() { grep -E '^country ' "$tmp/out" | head -n 1 | tr -s ' '; }
[ "$(head_row)" = "country welfare% realGDP% prices% ETR pre% ETR post% rev/GDP%" ] && ok ||
    bad "the table shows the headline columns, no money ones in model units: $(head_row)"
grep -q -- '--all-columns' "$tmp/out" && ok || bad "the table names the flag for more columns"
# --all-columns: the headline set, then the rest (real wage and ToT+VoT of Table 2)
expect_rc 0 "solve table, all columns" "$TW" solve --world cp1993-balanced \
    --tariffs data/cp1993-balanced/nafta_2005.csv --all-columns
[ "$(head_row)" = "country welfare% realGDP% prices% ETR pre% ETR post% rev/GDP% realwage% wage% \
ToT% VoT% ToT+VoT% exports% imports% rev.chg% ETR base%" ] && ok || bad "all columns: $(head_row)"
grep -qE '^MEX +0\.0073( +-?[0-9.]+){5} +1\.7153( +-?[0-9.]+){3} +1\.3121 ' "$tmp/out" && ok ||
    bad "table MEX row (Table 2 real wage 1.7153, ToT+VoT 1.3121)"
# a world in its money unit: the consumer cost by default; EV and the
# per-household columns with --all-columns, n/a where the world lacks households
expect_rc 0 "solve table, money" "$TW" solve --tariffs data/scenarios/us_china_145_125.csv
[ "$(head_row)" = "country welfare% realGDP% prices% ETR pre% ETR post% cons. cost rev/GDP%" ] && ok ||
    bad "headline columns in USD: $(head_row)"
grep -qE '^USA +-0\.4051 +-0\.4709 +0\.5941 +26\.953 +2\.392 +52374\.2 +0\.2959$' "$tmp/out" && ok ||
    bad "USA headline row"
[ "$(awk '{ print length }' "$tmp/out" | sort -n | tail -n 1)" -le 120 ] && ok || bad "table width"
expect_rc 0 "solve table, money, all columns" "$TW" solve --all-columns \
    --tariffs data/scenarios/us_china_145_125.csv
head_row | grep -q ' tariff rev. rev.chg% ETR base% EV EV/household cost/household$' && ok ||
    bad "money columns with --all-columns: $(head_row)"
grep -qE '^USA .* -63849\.2 +n/a +n/a$' "$tmp/out" && ok || bad "EV and n/a per household"

# no convergence: exit 1, one line, a hint, nothing written
expect_rc 1 "no convergence" "$TW" solve --tariffs data/scenarios/us_china_30.csv \
  --method tatonnement --step 0.5 --max-iter 10 --output "$tmp/never.json" --json
grep -qE '^tradewar: solve: no convergence after 10 iterations \(max residual [0-9.e+-]+ > tol 1e-10\); largest imbalance: [A-Z]+$' \
  "$tmp/err" && ok || bad "no-convergence message: $(cat "$tmp/err")"
grep -q 'hint:' "$tmp/err" && ok || bad "no-convergence hint"
[ ! -e "$tmp/never.json" ] && ok || bad "output written on failure"
[ -z "$(ls "$tmp" | grep never)" ] && ok || bad "temporary output left behind"

# --output: written whole, atomically; an unwritable place is exit 3
expect_rc 0 "output file" "$TW" solve --output "$tmp/r.json" --json
grep -q '"converged":true' "$tmp/r.json" && ok || bad "output file content"
expect_rc 3 "unwritable output" "$TW" solve --output "$tmp/no/such/dir/r.json"

# bad input: exit 2 with file:line
printf 'importer,exporter,sector,rate\nUSA,XXX,*,0.1\n' > "$tmp/cf.csv"
expect_rc 2 "unknown country in counterfactual" "$TW" solve --tariffs "$tmp/cf.csv"
grep -qE "^tradewar: $tmp/cf.csv:2(:[0-9]+)?: " "$tmp/err" && ok || bad "cf error names file:line: $(cat "$tmp/err")"
expect_rc 3 "missing world directory" "$TW" info --world "$tmp/nowhere"
expect_err 'tradewar: countries.csv: cannot open: No such file or directory'

# info and validate
expect_rc 0 "info" "$TW" info
grep -q 'data year: 2011' "$tmp/out" && ok || bad "info says the data year"
grep -q 'tariffs: 2014' "$tmp/out" && ok || bad "info says the tariff year"
expect_rc 0 "validate" "$TW" validate --world world2011-full
grep -q '^ok: ' "$tmp/out" && ok || bad "validate ok line"

finish
