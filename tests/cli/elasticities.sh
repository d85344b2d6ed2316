#!/usr/bin/env bash
# Named elasticity sets on the command line: `info` lists them, --elasticities
# on the commands that solve (the world's default gives the same bytes as no
# flag; another set names itself in JSON and tables), set files, and the
# errors for an unknown name or a bad file.  usage: elasticities.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"
CF=data/scenarios/us_china_30.csv

expect_rc 0 "info" "$TW" info
grep -qE '^  cp2015     \* 1\.45-64\.85 +8\.22 ' "$tmp/out" && ok || bad "info marks the default set"
for s in tradmod ll2023 uniform4 short-run; do
  grep -qE "^  $s " "$tmp/out" && ok || bad "info lists $s"
done
for c in solve timeline export sweep optimal nash talks escalate cooperate; do
  "$TW" "$c" --help | grep -q -- '--elasticities' && ok || bad "$c --help lists --elasticities"
done

# the default set by name: byte-identical to no flag
for fmt in "" --json --csv; do
  "$TW" solve --tariffs $CF $fmt >"$tmp/a" 2>&1
  "$TW" solve --tariffs $CF $fmt --elasticities cp2015 >"$tmp/b" 2>&1
  cmp -s "$tmp/a" "$tmp/b" && ok || bad "solve $fmt --elasticities cp2015 differs from no flag"
done
"$TW" timeline data/scenarios/example.tw >"$tmp/a" 2>&1
"$TW" timeline data/scenarios/example.tw --elasticities cp2015 >"$tmp/b" 2>&1
cmp -s "$tmp/a" "$tmp/b" && ok || bad "timeline --elasticities cp2015 differs from no flag"
grep -q '"elasticities":"cp2015"' <("$TW" solve --tariffs $CF --json) && ok || bad "JSON names cp2015"

# another set: named in the JSON and the table, and it moves the answer
expect_rc 0 "uniform4" "$TW" solve --tariffs $CF --json --elasticities uniform4
grep -q '"source":"[^"]*","elasticities":"uniform4","scenario"' "$tmp/out" && ok || bad "JSON names uniform4"
expect_rc 0 "uniform4 table" "$TW" solve --tariffs $CF --elasticities uniform4
grep -qx 'deficits: keep; method: newton; elasticities: uniform4' "$tmp/out" && ok || bad "table names uniform4"
expect_rc 0 "export world uniform4" "$TW" export world --elasticities uniform4
[ "$(awk -F, '$1 == "theta" && $6 != 4' "$tmp/out" | wc -l)" = 0 ] && ok || bad "uniform4: theta 4 everywhere"
[ "$(grep -c '^theta,' "$tmp/out")" = 20 ] && ok || bad "uniform4: 20 theta rows"
expect_rc 0 "export world short-run" "$TW" export world --elasticities short-run
[ "$(grep -c '^theta,,,[A-Z]*,,1.5,$' "$tmp/out")" = 14 ] && ok || bad "short-run: 1.5 on the 14 goods sectors"
expect_rc 0 "timeline short-run" "$TW" timeline data/scenarios/example.tw --json --elasticities short-run
grep -q '"elasticities":"short-run"' "$tmp/out" && ok || bad "timeline JSON names short-run"
expect_rc 0 "optimal uniform4" "$TW" optimal --country USA --against CHN --elasticities uniform4
# the set moves the best response
"$TW" optimal --country USA --against CHN >"$tmp/def" 2>&1
cmp -s "$tmp/out" "$tmp/def" && bad "optimal with uniform4 gives the default's answer" || ok

# a file: sector,theta (named by its path) or one set of set,sector,theta
awk -F, 'NR > 1 && $1 == "uniform4" {print $2 "," $3}' data/world2011/elasticities.csv \
  | sed '1i sector,theta' >"$tmp/u4.csv"
"$TW" solve --tariffs $CF --json --elasticities uniform4 | sed 's/"elasticities":"[^"]*",//g' >"$tmp/a"
"$TW" solve --tariffs $CF --json --elasticities "$tmp/u4.csv" >"$tmp/b"
grep -q "\"elasticities\":\"$tmp/u4.csv\"" "$tmp/b" && ok || bad "file set named by its path"
sed -i 's/"elasticities":"[^"]*",//g' "$tmp/b"
cmp -s "$tmp/a" "$tmp/b" && ok || bad "the file set gives uniform4's numbers"

# errors: exit 2 with the list, or file:line
expect_rc 2 "unknown set" "$TW" solve --elasticities unifrom4
expect_err 'tradewar: --elasticities: unknown elasticity set "unifrom4"; did you mean "uniform4"? (the world has: cp2015, tradmod, ll2023, uniform4, short-run; or give a file set,sector,theta)'
expect_rc 2 "unknown set, timeline" "$TW" timeline --elasticities nope
expect_rc 2 "unknown set, nash" "$TW" nash --players USA,CHN --elasticities nope
printf 'sector,theta\nAGR,4\nMIN,0\n' >"$tmp/bad.csv"
expect_rc 2 "bad file" "$TW" solve --elasticities "$tmp/bad.csv"
expect_err "tradewar: $tmp/bad.csv:3: theta \"0\" for $tmp/bad.csv MIN is not a number > 0"
expect_rc 2 "several sets" "$TW" solve --elasticities data/world2011/elasticities.csv
expect_err 'tradewar: data/world2011/elasticities.csv:22: 5 elasticity sets (cp2015, tradmod, ll2023, uniform4, short-run): a file for one solve holds one set'
expect_rc 3 "missing file" "$TW" solve --elasticities "$tmp/none.csv"
expect_rc 2 "no sets" "$TW" solve --world tests/data/good/tiny3x2 --elasticities uniform4
expect_err 'tradewar: --elasticities: unknown elasticity set "uniform4" (the world names none; give a file set,sector,theta)'

# saved runs record the set; runs diff shows it
"$TW" solve --tariffs $CF --db "$tmp/r.db" >/dev/null 2>&1
"$TW" solve --tariffs $CF --elasticities ll2023 --db "$tmp/r.db" >/dev/null 2>&1
expect_rc 0 "runs diff" "$TW" runs diff 1 2 --db "$tmp/r.db"
grep -qx 'option elasticities: "cp2015" -> "ll2023"' "$tmp/out" && ok || bad "runs diff shows the set"
finish
