#!/usr/bin/env bash
# optimal, nash, talks, escalate: outputs, JSON and usage errors.
# usage: game.sh PATH/TO/tradewar
set -u
TW=$1
fails=0; passes=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
ok()  { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
run() { "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }

[ "$(run "$TW" optimal --country USA --against CHN)" = 0 ] && ok || bad "optimal: $(cat "$tmp/err")"
grep -qE '^CHN, all goods +[0-9]+\.[0-9]{3}$' "$tmp/out" && ok || bad "optimal table: $(head -5 "$tmp/out")"
grep -q '^welfare of USA: +' "$tmp/out" && ok || bad "optimal welfare line"
[ "$(run "$TW" optimal --country USA --against CHNA)" = 2 ] && ok || bad "unknown country exit"
[ "$(head -n 1 "$tmp/err")" = 'tradewar: optimal: --against: unknown country "CHNA" (did you mean "CHN"?)' ] && ok || bad "unknown country message: $(cat "$tmp/err")"
[ "$(run "$TW" optimal)" = 2 ] && ok || bad "missing --country"
[ "$(run "$TW" optimal --country USA --instrument flat)" = 2 ] && ok || bad "bad instrument"

[ "$(run "$TW" nash --players USA,CHN --json)" = 0 ] && ok || bad "nash json: $(cat "$tmp/err")"
for k in '"converged":true' '"rounds":' '"residual":' '"world_welfare_pct":' '"code":"USA"' '"rate":'; do
  grep -qF -- "$k" "$tmp/out" && ok || bad "nash json lacks $k"
done
[ "$(run "$TW" nash --players USA)" = 2 ] && ok || bad "nash with one player"

printf 'importer,exporter,sector,rate\nUSA,CHN,*,0\n' > "$tmp/deal.csv"
[ "$(run "$TW" talks --players USA,CHN --frontier 2 --concession CHN:precursors=0.05 --deal "$tmp/deal.csv")" = 0 ] \
  && ok || bad "talks: $(cat "$tmp/err")"
grep -q '^threat point: nash' "$tmp/out" && ok || bad "talks threat line"
grep -q 'concession "precursors" by CHN' "$tmp/out" && ok || bad "talks concession"
grep -qE 'leaves every player better off than the status quo: (yes|no); than the threat point: (yes|no)' "$tmp/out" \
  && ok || bad "talks deal verdict"
[ "$(run "$TW" talks --players USA,CHN --concession CHN=1)" = 2 ] && ok || bad "bad concession"

[ "$(run "$TW" escalate --players USA,CHN --rule mirror --rounds 3)" = 0 ] && ok || bad "escalate: $(cat "$tmp/err")"
[ "$(grep -cE '^ +[123] ' "$tmp/out")" = 3 ] && ok || bad "escalate rounds"
grep -q 'stopped after 3 rounds: the round limit was reached' "$tmp/out" && ok || bad "escalate stop line"
[ "$(run "$TW" escalate --players USA,CHN --rule best-response --json)" = 0 ] && ok || bad "escalate br"
grep -q '"stopped":"the path converged"' "$tmp/out" && ok || bad "best-response path converges"
[ "$(run "$TW" escalate --players USA,CHN --rule tit)" = 2 ] && ok || bad "bad rule"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
