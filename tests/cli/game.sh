#!/usr/bin/env bash
# optimal, nash, talks, escalate, cooperate: outputs, JSON and usage errors.
# usage: game.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"
run() { rc_of "$@"; }

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

# the frontier under both threats: converged, each player's welfare rises with
# its weight, and no point is dominated by another or by the bargain (1e-7 pp
# = 1e-9 in welfare hats)
frontier_ok() {
  node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")), tol = 1e-7;
    const f = j.frontier, b = j.players.map(p => p.bargain_welfare_pct);
    const pts = f.map(p => [p.welfare_a_pct, p.welfare_b_pct]);
    const dom = (o, p) => o[0] >= p[0] - tol && o[1] >= p[1] - tol && (o[0] > p[0] + tol || o[1] > p[1] + tol);
    const why = [];
    if (j.converged !== true || "error" in j) why.push("not converged: " + j.error);
    if (f.length !== 5) why.push(f.length + " points");
    for (let q = 1; q < f.length; q++) {
      if (!(f[q].weight_a > f[q - 1].weight_a)) why.push("weights out of order");
      if (pts[q][0] < pts[q - 1][0] - tol) why.push("A falls from point " + q + " to " + (q + 1));
      if (pts[q][1] > pts[q - 1][1] + tol) why.push("B falls from point " + (q + 1) + " to " + q);
    }
    pts.forEach((p, q) => {
      if (dom(b, p)) why.push("point " + (q + 1) + " dominated by the bargain");
      pts.forEach((o, r) => { if (r !== q && dom(o, p)) why.push("point " + (q + 1) + " dominated by point " + (r + 1)); });
    });
    if (why.length) { console.log(why.join("; ")); process.exit(1); }' "$tmp/out"
}
for threat in status-quo nash; do
  [ "$(run "$TW" talks --players USA,CHN --threat $threat --json)" = 0 ] && ok || bad "talks $threat json: $(cat "$tmp/err")"
  msg=$(frontier_ok) && ok || bad "talks $threat frontier: $msg"
done

[ "$(run "$TW" escalate --players USA,CHN --rule mirror --rounds 3)" = 0 ] && ok || bad "escalate: $(cat "$tmp/err")"
[ "$(grep -cE '^ +[123] ' "$tmp/out")" = 3 ] && ok || bad "escalate rounds"
grep -q 'stopped after 3 rounds: the round limit was reached' "$tmp/out" && ok || bad "escalate stop line"
[ "$(run "$TW" escalate --players USA,CHN --rule best-response --json)" = 0 ] && ok || bad "escalate br"
grep -q '"stopped":"the path converged"' "$tmp/out" && ok || bad "best-response path converges"
[ "$(run "$TW" escalate --players USA,CHN --rule tit)" = 2 ] && ok || bad "bad rule"

# cooperate: over the Nash war every player is at least at its war welfare and
# the weighted sum at least the war's; bad players, weights and references are
# usage errors naming the option
[ "$(run "$TW" cooperate --players USA,CHN --over nash --weights 1,2 --json)" = 0 ] && ok || bad "cooperate json: $(cat "$tmp/err")"
node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")), why = [];
if (j.converged !== true || j.over !== "nash" || j.instrument !== "uniform" || !j.meta) why.push("header");
if (j.players.length !== 2 || j.players[1].weight !== 2) why.push("players");
j.players.forEach(p => { if (!(p.welfare_pct >= p.nash_welfare_pct - 1e-9)) why.push(p.code + " below its war welfare"); });
if (!(j.weighted_welfare >= j.weighted_welfare_reference)) why.push("weighted sum below the war");
if (!(j.solves > j.solves_reference && j.solves_reference > 1)) why.push("solves");
if (why.length) { console.log(why.join("; ")); process.exit(1); }' "$tmp/out" && ok || bad "cooperate over nash"
[ "$(run "$TW" cooperate --players USA,CHN)" = 0 ] && ok || bad "cooperate: $(cat "$tmp/err")"
grep -qE '^ +CHN, all goods +[0-9]+\.[0-9]{3}$' "$tmp/out" && ok || bad "cooperate table: $(head -5 "$tmp/out")"
grep -q '^weighted sum of welfare hats: ' "$tmp/out" && ok || bad "cooperate weighted sum line"
[ "$(run "$TW" cooperate --players USA)" = 2 ] && ok || bad "cooperate with one player"
[ "$(head -n 1 "$tmp/err")" = 'tradewar: cooperate: --players needs at least two countries, not "USA"' ] \
  && ok || bad "cooperate one player message: $(cat "$tmp/err")"
[ "$(run "$TW" cooperate --players USA,CHNA)" = 2 ] && ok || bad "cooperate unknown country"
[ "$(head -n 1 "$tmp/err")" = 'tradewar: cooperate: --players: unknown country "CHNA" (did you mean "CHN"?)' ] \
  && ok || bad "cooperate unknown country message: $(cat "$tmp/err")"
for wts in 1 1,2,3 1,-1 1,x; do
  [ "$(run "$TW" cooperate --players USA,CHN --weights $wts)" = 2 ] && ok || bad "cooperate --weights $wts exit"
  grep -q "^tradewar: cooperate: --weights \"$wts\"" "$tmp/err" && ok || bad "cooperate --weights $wts message: $(cat "$tmp/err")"
done
[ "$(head -n 1 "$tmp/err")" = 'tradewar: cooperate: --weights "1,x": each weight must be a number >= 0' ] \
  && ok || bad "cooperate weights message: $(cat "$tmp/err")"
[ "$(run "$TW" cooperate --players USA,CHN --weights 0,0)" = 2 ] && ok || bad "cooperate zero weights"
[ "$(run "$TW" cooperate --players USA,CHN --over war)" = 2 ] && ok || bad "cooperate --over war"
[ "$(head -n 1 "$tmp/err")" = 'tradewar: cooperate: --over "war" is not none, nash or status-quo' ] \
  && ok || bad "cooperate --over message: $(cat "$tmp/err")"

# the solver's options, as `tradewar solve` takes them: purging cp1993's deficits
# moves the best response, and bad values are usage errors with solve's messages
for d in keep purge; do
  [ "$(run "$TW" optimal --country USA --against MEX --world cp1993 --deficits $d --json)" = 0 ] \
    && ok || bad "optimal --deficits $d: $(cat "$tmp/err")"
  cp "$tmp/out" "$tmp/opt_$d.json"
done
node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const k = rd(process.argv[1]), p = rd(process.argv[2]);
process.exit(Math.abs(k.welfare_pct - p.welfare_pct) > 1e-6 && k.tariffs[0].rate !== p.tariffs[0].rate ? 0 : 1);' \
  "$tmp/opt_keep.json" "$tmp/opt_purge.json" && ok || bad "--deficits purge does not change the best response"
[ "$(run "$TW" optimal --country USA --against MEX --world cp1993 --tol 1e-12 --method newton --json)" = 0 ] \
  && cmp -s "$tmp/out" "$tmp/opt_keep.json" && ok || bad "explicit defaults change the answer"
for cmd in optimal nash talks escalate cooperate; do
  [ "$(run "$TW" $cmd --tol 2)" = 2 ] && ok || bad "$cmd --tol 2 exit"
  [ "$(head -n 1 "$tmp/err")" = "tradewar: $cmd: --tol \"2\" is not a number in [1e-14, 1e-4]" ] \
    && ok || bad "$cmd --tol message: $(cat "$tmp/err")"
done
[ "$(run "$TW" nash --players USA,CHN --tol 1e-15)" = 2 ] && ok || bad "nash --tol 1e-15"
[ "$(run "$TW" talks --players USA,CHN --deficits drop)" = 2 ] && ok || bad "talks --deficits drop"
[ "$(head -n 1 "$tmp/err")" = 'tradewar: talks: --deficits "drop" is not keep or purge' ] && ok || bad "deficits message: $(cat "$tmp/err")"
[ "$(run "$TW" escalate --players USA,CHN --rule mirror --method anderson)" = 2 ] && ok || bad "escalate --method anderson"
[ "$(head -n 1 "$tmp/err")" = 'tradewar: escalate: --method "anderson" is not newton or tatonnement' ] && ok || bad "method message: $(cat "$tmp/err")"
"$TW" escalate --help | grep -qF -- '--deficits keep|purge' && ok || bad "escalate --help lacks --deficits"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
