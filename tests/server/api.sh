#!/usr/bin/env bash
# The JSON API of `tradewar serve` against a server on a free loopback port:
# answers and exact error texts, limits (413), no path traversal, the Host
# check, concurrent solves, saved runs, and a clean stop on SIGTERM/SIGINT.
# usage: api.sh PATH/TO/tradewar
set -u
TW=$1
fails=0; passes=0
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT
ok()  { passes=$((passes + 1)); }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

. "$(dirname "$0")/../common/server.sh"
# start_server OUTFILE ARGS... -> sets URL and PID once the server answers
start_server() {
  local out=$1; shift
  serve_start "$out" "$TW" "$@" || exit 1
  URL=$SERVE_URL PID=$SERVE_PID
  pids+=("$PID")
}
# stop_server PID SIGNAL -> sets STOP_RC (124: still running after the wait)
stop_server() { serve_stop "$@"; }

# req METHOD PATH [BODY|@FILE] [curl args...] -> $tmp/body, prints the status
req() {
  local m=$1 p=$2; shift 2
  local data=()
  if [ $# -gt 0 ] && [ "${1:0:1}" != - ]; then data=(--data-binary "$1"); shift; fi
  curl -s --max-time "$TW_WAIT_S" --path-as-is -o "$tmp/body" -w '%{http_code}' -X "$m" \
    -H 'Content-Type: application/json' "${data[@]}" "$@" "$URL$p"
}
# expect STATUS METHOD PATH [BODY] [curl args]
expect() {
  local want=$1; shift
  local got; got=$(req "$@")
  [ "$got" = "$want" ] && ok || bad "$1 $2: status $got, expected $want: $(head -c 300 "$tmp/body")"
}
# json EXPR: evaluate a JavaScript expression on the last body (as `j`)
json() { node -e "const j=JSON.parse(require('fs').readFileSync('$tmp/body','utf8')); const v=($1); process.stdout.write(typeof v==='string'?v:JSON.stringify(v))"; }
expect_json() { # EXPR WANT
  local got; got=$(json "$1" 2>&1)
  [ "$got" = "$2" ] && ok || bad "$1 = '$got', expected '$2'"
}
expect_error() { # exact error text of the last body
  expect_json 'j.error' "$1"
}
refuse() { # METHOD PATH BODY ERROR: a 400 whose error text is exactly ERROR
  expect 400 "$1" "$2" "$3"
  expect_error "$4"
}

# the default world is world2023 (2023 trade, its short-run elasticities); the
# others stay selectable, and a request without a world is solved on world2023
start_server "$tmp/s0" --no-db
case "$URL" in http://127.0.0.1:[0-9]*) ok ;; *) bad "bound URL '$URL'" ;; esac
expect 200 GET /api/worlds
expect_json '[j.default, j.worlds.filter(w => w.default).map(w => w.name)]' '["world2023",["world2023"]]'
expect_json '["cp1993", "world2011", "world2023"].every(n => j.worlds.some(w => w.name === n))' 'true'
expect 200 GET /api/world
expect_json '[j.name, j.year, j.countries.length, j.elasticities.find(e => e.default).name]' '["world2023","2023",22,"short-run"]'
expect 200 POST /api/solve '{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"*","rate":1.45},{"importer":"CHN","exporter":"USA","sector":"*","rate":1.25}]}'
cp "$tmp/body" "$tmp/api_default.json"
expect_json '[j.world_name, j.converged, j.countries.length]' '["world2023",true,22]'
printf 'importer,exporter,sector,rate\nUSA,CHN,*,1.45\nCHN,USA,*,1.25\n' >"$tmp/cf23.csv"
"$TW" solve --world world2023 --tariffs "$tmp/cf23.csv" --json >"$tmp/cli_default.json" || bad "CLI world2023 solve failed"
node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const a = rd(process.argv[1]), b = rd(process.argv[2]);
let worst = 0;
for (const c of a.countries) {
  const d = b.countries.find(x => x.code === c.code);
  for (const k of ["welfare_pct", "real_gdp_pct", "price_index_pct", "etr_pre_pct", "etr_post_pct"])
    worst = Math.max(worst, Math.abs(c[k] - d[k]) / Math.max(1, Math.abs(d[k])));
}
process.exit(worst < 1e-9 && a.countries.length === b.countries.length ? 0 : 1);' \
  "$tmp/api_default.json" "$tmp/cli_default.json" && ok || bad "API default-world and CLI world2023 solves differ"
expect 200 POST /api/solve '{"world":"world2011"}'
expect_json 'j.world_name' 'world2011'
stop_server "$PID" TERM

# the rest on a server whose default is world2011 (the numbers below are its)
# (--stop-wait: the request in flight at SIGTERM below must be let finish
# however slow this machine is; the default 10 s is a user's choice)
start_server "$tmp/s1" --db "$tmp/runs.db" --world world2011 --stop-wait "$TW_WAIT_S"

# ---- reading ----
expect 200 GET /api/health
expect_json 'j.ok && j.store && typeof j.in_flight' 'number'
expect 200 GET /api/worlds
expect_json 'j.default' 'world2011'
expect_json 'j.worlds.map(w => w.name).includes("cp1993")' 'true'
expect 200 GET '/api/world?name=world2011'
expect_json '[j.countries.length, j.sectors.length, j.sectors.filter(s => s.tradable).length]' '[21,20,14]'
expect_json 'j.hash.length' '16'
expect_json 'j.average_tariff_pct[0][1] > 0' 'true'
expect 400 GET '/api/world?name=world2012'
expect_json 'j.error.startsWith("world: unknown world \"world2012\"; did you mean \"world2011\"? (this server has: cp1993, cp1993-balanced, world2011, ")' 'true'
expect 200 GET '/api/pair?importer=USA&exporter=CHN'
expect_json 'j.sectors.find(s => s.code === "ELEC").tradable' 'true'
expect 400 GET '/api/pair?importer=USA&exporter=XXX'
expect_error 'exporter: unknown country "XXX"'

# ---- solving ----
cf='{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"*","rate":1.45},{"importer":"CHN","exporter":"USA","sector":"*","rate":1.25}]}'
expect 200 POST /api/solve "$cf"
cp "$tmp/body" "$tmp/api_solve.json"
expect_json 'j.converged && j.countries.length === 21 && j.bilateral.length > 0' 'true'
expect_json 'j.cells_changed' '28'
expect_json 'j.world_name' 'world2011'
expect_json 'j.bilateral.find(p => p.importer === "USA" && p.exporter === "CHN").etr_pre_pct' '145'
# the same shock through the command line gives the same numbers
printf 'importer,exporter,sector,rate\nUSA,CHN,*,1.45\nCHN,USA,*,1.25\n' >"$tmp/cf.csv"
"$TW" solve --tariffs "$tmp/cf.csv" --json >"$tmp/cli_solve.json" || bad "CLI solve failed"
node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const a = rd(process.argv[1]), b = rd(process.argv[2]);
let worst = 0;
for (const c of a.countries) {
  const d = b.countries.find(x => x.code === c.code);
  for (const k of ["welfare_pct", "real_wage_pct", "price_index_pct", "tariff_revenue", "etr_pre_pct",
                   "etr_post_pct", "tariff_revenue_gdp_pct"])
    worst = Math.max(worst, Math.abs(c[k] - d[k]) / Math.max(1, Math.abs(d[k])));
}
process.exit(worst < 1e-9 ? 0 : 1);' "$tmp/api_solve.json" "$tmp/cli_solve.json" && ok || bad "API and CLI solves differ"
# a named elasticity set: the request field, the provenance, and the CLI's numbers
expect 200 GET '/api/world?name=world2011'
expect_json 'j.elasticities.map(e => e.name + (e.default ? "*" : "")).join(" ")' 'cp2015* tradmod ll2023 uniform4 short-run'
expect_json 'j.elasticities.find(e => e.name === "uniform4").theta.every(t => t === 4)' 'true'
expect 200 GET /api/worlds
expect_json 'j.worlds.find(w => w.name === "world2011").elasticities.length' '5'
expect 200 POST /api/solve "${cf%\}},\"elasticities\":\"uniform4\"}"
expect_json '[j.elasticities, j.world_name]' '["uniform4","world2011"]'
cp "$tmp/body" "$tmp/api_u4.json"
"$TW" solve --tariffs "$tmp/cf.csv" --elasticities uniform4 --json >"$tmp/cli_u4.json" || bad "CLI uniform4 failed"
node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const a = rd(process.argv[1]), b = rd(process.argv[2]), c = rd(process.argv[3]);
const usa = (x) => x.countries.find(y => y.code === "USA").welfare_pct;
process.exit(Math.abs(usa(a) - usa(b)) < 1e-9 && Math.abs(usa(a) - usa(c)) > 1e-3 ? 0 : 1);' \
  "$tmp/api_u4.json" "$tmp/cli_u4.json" "$tmp/api_solve.json" && ok || bad "API and CLI uniform4 solves differ"
expect 200 POST /api/solve '{"elasticities":"cp2015"}'
expect_json 'j.elasticities' 'cp2015'
refuse POST /api/solve '{"elasticities":"unifrom4"}' 'elasticities: unknown elasticity set "unifrom4"; did you mean "uniform4"? (the world has: cp2015, tradmod, ll2023, uniform4, short-run; or give a file set,sector,theta)'
refuse POST /api/solve '{"elasticities":"/etc/passwd"}' "elasticities: give the name of one of the world's elasticity sets, not a file"
expect 200 POST /api/timeline '{"scenario":"example","elasticities":"short-run"}'
expect_json 'j.elasticities' 'short-run'
expect 200 POST /api/optimal '{"country":"USA","against":["CHN"],"elasticities":"uniform4","tol":1e-10}'
expect 200 POST /api/solve '{"world":"world2011","ntb":[{"importer":"CHN","exporter":"USA","sector":"FOOD","factor":1.2}],"bilateral":false,"sectors":true}'
expect_json '[j.bilateral === undefined, j.sectors.length]' '[true,420]'

# ---- bad requests: 400 with a message ----
expect 400 POST /api/solve '{"tariffs":[{"importer":"USA","exporter":"CHN","rate":0.3},'
expect_error 'malformed JSON at byte 59 of 59'
expect 400 POST /api/solve '[1,2]'
expect_error 'request body must be a JSON object'
expect 400 POST /api/solve ''
expect_error 'request body is empty (expected a JSON object)'
expect 400 POST /api/solve '{"tariffs":[{"importer":"USB","exporter":"CHN","rate":0.3}]}'
expect_error 'tariffs[0].importer: unknown country "USB" (did you mean "USA"?)'
expect 400 POST /api/solve '{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"*","rate":0.3},{"importer":"USA","exporter":"QQQ","sector":"*","rate":0.3}]}'
expect_error 'tariffs[1].exporter: unknown country "QQQ" (expected a code of the world or "*")'
expect 400 POST /api/solve '{"tariffs":[{"importer":"USA","exporter":"CHN","rate":0.3}]}'
expect_error 'tariffs[0].sector: no sector given (expected a code of the world or "*")'
expect 400 POST /api/solve '{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"BUS","rate":0.3}]}'
expect_error 'tariffs[0].sector: sector "BUS" is not tradable (tariffs do not apply to it; "*" covers the tradable sectors)'
expect 400 POST /api/solve '{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"*","rate":-0.1}]}'
expect_error 'tariffs[0].rate: rate "-0.1" is negative (expected >= 0)'
expect 400 POST /api/solve '{"tariffs":[{"importer":"USA","exporter":"USA","sector":"*","rate":0.1}]}'
expect_error 'tariffs[0].exporter: tariff on domestic cell USA->USA (expected importer != exporter)'
expect 400 POST /api/solve '{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"*","rate":"0.1"}]}'
expect_error 'tariffs[0].rate: rate must be a number'
expect 400 POST /api/solve '{"ntb":[{"importer":"USA","exporter":"CHN","sector":"*","factor":0}]}'
expect_error 'ntb[0].factor: factor "0" is not positive (expected > 0)'
expect 400 POST /api/solve '{"tarifs":[]}'
expect_error 'request: unknown field "tarifs" (expected world, elasticities, tariffs, ntb, method, deficits, tol, bilateral, sectors, save, label)'
expect 400 POST /api/solve '{"method":"bisection"}'
expect_error 'method: must be "newton" or "tatonnement"'
expect 400 POST /api/solve '{"world":"../../etc"}'
expect_json 'j.error.startsWith("world: unknown world \"../../etc\"")' 'true'

# ---- limits: 413 for bodies over the limit (1 MiB by default) ----
node -e 'const r = JSON.stringify({importer:"USA",exporter:"CHN",rate:0.1}); process.stdout.write("{\"tariffs\":[" + Array(30000).fill(r).join(",") + "]}")' >"$tmp/big.json"
expect 413 POST /api/solve "@$tmp/big.json"
expect_error "request body of $(stat -c %s "$tmp/big.json") bytes is larger than the limit of 1048576 bytes"
expect 413 POST /api/solve "@$tmp/big.json" -H 'Transfer-Encoding: chunked'
expect_error 'request body is larger than the limit of 1048576 bytes'
expect 200 GET /api/health # still serving

# ---- routes, methods, static files, traversal ----
expect 405 GET /api/solve
expect 405 POST /api/worlds '{}'
expect 404 GET /api/nothing
expect 405 GET /api/nash
for p in /../etc/passwd /%2e%2e/%2e%2e/etc/passwd /vendor/../../CMakeLists.txt /..%2fCMakeLists.txt \
         /node_modules/echarts/package.json /web/app.js /app.js/../../README.md /.git/config; do
  expect 404 GET "$p"
done
expect 200 GET /
grep -q '<title>tradewar dashboard</title>' "$tmp/body" && ok || bad "index.html served"
hdrs=$(curl -s -D - -o /dev/null "$URL/")
echo "$hdrs" | grep -qi '^Content-Security-Policy: default-src' && ok || bad "CSP header on the page"
echo "$hdrs" | grep -qi '^Content-Type: text/html' && ok || bad "page content type"
if [ -d web/node_modules/echarts ]; then
  expect 200 GET /vendor/echarts.min.js
  expect 200 GET /vendor/countries-110m.json
fi
expect 403 GET /api/health -H 'Host: tradewar.example:80'

# ---- timelines ----
cat >"$tmp/scen.json" <<'EOF'
{"text": "scenario \"two steps\"\nworld world2011\nfocus USA CHN\nevent big \"a bigger second step\"\nstep 2025-02-04 \"ten\"\n  set f CHN -> USA * 10%\nstep 2025-03-04 \"twenty\"\n  set f CHN -> USA * 20%\nstep 2025-04-01 \"fifty\" if big\n  set f CHN -> USA * 50%\n", "set": ["big"]}
EOF
expect 200 POST /api/timeline "@$tmp/scen.json"
expect_json 'j.steps.map(s => s.date).join(" ")' 'baseline 2025-02-04 2025-03-04 2025-04-01'
# the library's text names the world by its catalog name; the server's fields follow it
expect_json 'Object.keys(j).slice(-3).join(" ") + " " + j.world + " " + j.world_name' 'world_name world_hash elapsed_ms world2011 world2011'
expect_json 'j.steps[3].countries.find(c => c.code === "CHN").welfare_pct < j.steps[2].countries.find(c => c.code === "CHN").welfare_pct' 'true'
expect 400 POST /api/timeline '{"text":"scenario \"x\"\nfocus USA CHN\nstep 2025-01-01 \"a\"\n  set f CHN -> USB * 10%\n"}'
expect_json 'j.error.startsWith("scenario:4:")' 'true'
expect_json 'j.error.includes("USB")' 'true'
expect 400 POST /api/timeline '{"text":"scenario \"x\"\nfocus USA CHN\n","set":["nope"]}'
# a text scenario names no file for the server to open, so its shares are all 1
expect 400 POST /api/timeline '{"text":"scenario \"x\"\nfocus USA CHN\nmapping /etc/passwd\nstep 2025-01-01 \"a\"\n  set f CHN -> USA * 10%\n"}'
expect_error 'scenario: a scenario sent as text cannot name a mapping table (the server opens no file that a request names)'
expect 400 POST /api/timeline '{"text":"scenario \"x\"\nfocus USA CHN\nstep 2025-01-01 \"a\"\n  set f CHN -> USA * 10% share 0.5\n"}'
expect_error 'scenario:4:20: share 0.5 of layer "f" on CHN -> USA * is not stated: the scenario has no mapping statement (every share below 1 is stated in a mapping table)'
expect 400 POST /api/timeline '{"scenario":"../secret"}'
expect_error 'scenario: unknown scenario "../secret" (GET /api/scenarios lists them)'
expect 400 POST /api/timeline '{"scenario":"a","text":"b"}'
expect 200 GET /api/scenarios
if [ -f data/scenarios/us-china-2025.tw ]; then
  expect_json 'j.scenarios.some(s => s.name === "us-china-2025")' 'true'
  expect 200 POST /api/timeline '{"scenario":"us-china-2025"}'
  expect_json 'j.steps.length > 10' 'true'
fi

# ---- the game layer: the same answers as the command line ----
expect 200 POST /api/optimal '{"country":"USA","against":["CHN"]}'
cp "$tmp/body" "$tmp/api_opt.json"
"$TW" optimal --country USA --against CHN --json >"$tmp/cli_opt.json" || bad "CLI optimal failed"
node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const a = rd(process.argv[1]), b = rd(process.argv[2]);
const ok = Math.abs(a.players[0].tariffs[0].rate - b.tariffs[0].rate) < 1e-9 &&
  Math.abs(a.players[0].welfare_pct - b.welfare_pct) < 1e-9 && a.players[0].tariffs[0].cells === b.tariffs[0].cells;
process.exit(ok ? 0 : 1);' "$tmp/api_opt.json" "$tmp/cli_opt.json" && ok || bad "API and CLI best responses differ"
expect 200 POST /api/nash '{"players":["USA","CHN"]}'
expect_json 'j.converged && j.players.length === 2 && j.players.every(p => p.tariffs[0].rate > 0) && j.result.countries.length === 21' 'true'
expect_json 'j.world_name + " " + j.result.world' 'world2011 world2011'
cp "$tmp/body" "$tmp/nash1.json"
expect 200 POST /api/talks '{"players":["USA","CHN"]}'
expect_json 'j.players.every(p => p.welfare_pct >= p.threat_welfare_pct - 1e-9)' 'true'
# the game's solver comes from the server's pool: after other games on it
# (the best response, the talks), the same Nash war to the tolerance
expect 200 POST /api/nash '{"players":["USA","CHN"]}'
node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const a = rd(process.argv[1]), b = rd(process.argv[2]);
const close = (x, y) => Math.abs(x - y) < 1e-9;
const ok = a.players.every((p, k) => close(p.welfare_pct, b.players[k].welfare_pct) &&
  close(p.tariffs[0].rate, b.players[k].tariffs[0].rate)) &&
  a.result.countries.every((c, k) => close(c.welfare_pct, b.result.countries[k].welfare_pct));
process.exit(ok ? 0 : 1);' "$tmp/nash1.json" "$tmp/body" && ok || bad "a Nash war differs after other games on the pooled solver"
refuse POST /api/nash '{"players":["USA","XXX"]}' 'players: unknown country "XXX"'
# talks with the frontier and a concession: the library's JSON of `tradewar
# talks --json` under "talks", the frontier Pareto-undominated (each point
# against the others and the bargain) and the bargain on or inside it (no
# frontier point's weighted welfare is beaten by the bargain's)
for threat in nash status-quo; do
  expect 200 POST /api/talks '{"players":["USA","CHN"],"threat":"'$threat'","frontier":5,"concession":{"giver":"CHN","value_pct":0.05}}'
  cp "$tmp/body" "$tmp/api_talks.json"
  "$TW" talks --players USA,CHN --threat $threat --frontier 5 --concession CHN:precursors=0.05 --json \
    >"$tmp/cli_talks.json" || bad "CLI talks --threat $threat failed"
  node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const api = rd(process.argv[1]), cli = rd(process.argv[2]), t = api.talks, tol = 1e-7;
const why = [];
// The game of the server borrows a kept solver and the one of the CLI makes
// its own, so their solves start from other points; each one-value search
// stops once its Newton step on the exact slope is below the xtol of the
// game (1e-5), which leaves the optimum good to about 1e-8 on either path
// (docs/game.md): the two agree to that, not to the last bit.
const same = (a, b, at) => {
  if (typeof a === "number") { if (!(Math.abs(a - b) < 1e-7)) why.push(`${at}: ${a} != ${b}`); return; }
  if (typeof a !== "object" || a === null) { if (a !== b) why.push(`${at}: ${a} != ${b}`); return; }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (k !== "meta") same(a[k], b[k], `${at}.${k}`);
};
same(t, cli, "talks");
const [A, B] = t.players, bar = [A.bargain_welfare_pct, B.bargain_welfare_pct];
const pts = t.frontier.map((f) => [f.welfare_a_pct, f.welfare_b_pct]);
if (pts.length !== 5) why.push(`${pts.length} frontier points`);
const dominates = (p, q) => p[0] >= q[0] - tol && p[1] >= q[1] - tol && (p[0] > q[0] + tol || p[1] > q[1] + tol);
pts.forEach((q, k) => {
  pts.forEach((p, m) => { if (m !== k && dominates(p, q)) why.push(`point ${m} dominates point ${k}`); });
  if (dominates(bar, q)) why.push(`the bargain dominates point ${k}`);
  const w = t.frontier[k].weight_a, at = (p) => w * p[0] + (1 - w) * p[1];
  if (at(bar) > at(q) + tol) why.push(`the bargain lies outside the frontier at weight ${w}`);
  if (q[0] < A.threat_welfare_pct - tol || q[1] < B.threat_welfare_pct - tol) why.push(`point ${k} below the threat`);
});
if (!(B.concession_tariff_change_pp > 0)) why.push("the concession buys CHN no tariff");
if (api.threat !== t.threat || !api.players.every((p, k) => Math.abs(p.welfare_pct - t.players[k].bargain_welfare_pct) < 1e-12))
  why.push("the answer and its talks differ");
if (why.length) { console.log(why.join("; ")); process.exit(1); }' "$tmp/api_talks.json" "$tmp/cli_talks.json" &&
    ok || bad "talks ($threat threat): frontier, bargain or CLI fields"
done
refuse POST /api/talks '{"players":["USA","CHN"],"threat":"war"}' 'threat: must be "nash" or "status-quo"'
refuse POST /api/talks '{"players":["USA","CHN"],"frontier":10}' 'frontier: must be a whole number in [0, 9]'
refuse POST /api/talks '{"players":["USA","CHN"],"concession":{"giver":"MEX","value_pct":1}}' \
  'concession: giver and receiver must be two different players (receiver: the other player when there are two)'
refuse POST /api/talks '{"players":["USA","CHN"],"concession":{"giver":"CHN"}}' \
  "concession: needs \"value_pct\" (% of the receiver's real income)"
# escalation round by round: the rounds of `tradewar escalate --json`
expect 200 POST /api/escalate '{"players":["USA","CHN"],"rule":"mirror","rounds":3}'
cp "$tmp/body" "$tmp/api_esc.json"
"$TW" escalate --players USA,CHN --rule mirror --rounds 3 --json >"$tmp/cli_esc.json" || bad "CLI escalate failed"
node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const a = rd(process.argv[1]), b = rd(process.argv[2]);
const keys = ["round", "tariff_a", "tariff_b", "welfare_a_pct", "welfare_b_pct", "trade_b_to_a_pct", "trade_a_to_b_pct"];
const ok = a.rounds.length === 3 && b.rounds.length === 3 && a.stopped === b.stopped && a.a === "USA" &&
  Math.abs(a.start_tariff_a - b.start_tariff_a) < 1e-12 &&
  a.rounds.every((r, k) => keys.every((f) => Math.abs(r[f] - b.rounds[k][f]) < 1e-9)) &&
  Math.abs(a.result.countries.find((c) => c.code === "CHN").welfare_pct - a.rounds[2].welfare_b_pct) < 1e-9;
process.exit(ok ? 0 : 1);' "$tmp/api_esc.json" "$tmp/cli_esc.json" && ok || bad "API and CLI escalation rounds differ"
refuse POST /api/escalate '{"players":["USA","CHN"],"rule":"tit"}' 'rule: must be "mirror", "proportional" or "best-response"'
refuse POST /api/escalate '{"players":["USA","CHN","MEX"],"rule":"mirror"}' 'players: escalation needs two players'
refuse POST /api/escalate '{"players":["USA","CHN"],"rule":"mirror","step":0}' 'step: must be a number in [0.001, 5]'
refuse POST /api/talks '{"players":["USA"]}' 'players: talks need at least two players'
refuse POST /api/optimal '{"country":"USA","instrument":"partner-sector"}' \
  'instrument: needs 280 tariffs per player; the server searches at most 64 (use the command line for larger searches)'
# the solver options of /api/solve, checked alike (the tolerance defaults to
# the game's 1e-12), and a purged baseline as on the command line
refuse POST /api/nash '{"players":["USA","CHN"],"tol":1}' 'tol: must be a number in [1e-14, 1e-4]'
refuse POST /api/talks '{"players":["USA","CHN"],"method":"bisect"}' \
  'method: must be "newton" or "tatonnement"'
refuse POST /api/optimal '{"country":"USA","deficits":1}' 'deficits: must be a string'
refuse POST /api/optimal '{"country":"USA","deficits":"drop"}' 'deficits: must be "keep" or "purge"'
expect 200 POST /api/optimal '{"country":"USA","against":["CHN"],"deficits":"purge","tol":1e-12}'
cp "$tmp/body" "$tmp/api_opt_purge.json"
"$TW" optimal --country USA --against CHN --deficits purge --json >"$tmp/cli_opt_purge.json" ||
  bad "CLI optimal --deficits purge failed"
node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const [keep, purge, cli] = process.argv.slice(1).map(rd);
const p = purge.players[0], k = keep.players[0];
const same = Math.abs(p.tariffs[0].rate - cli.tariffs[0].rate) < 1e-9 &&
  Math.abs(p.welfare_pct - cli.welfare_pct) < 1e-9;
const moved = Math.abs(p.welfare_pct - k.welfare_pct) > 1e-6;
process.exit(same && moved ? 0 : 1);' "$tmp/api_opt.json" "$tmp/api_opt_purge.json" "$tmp/cli_opt_purge.json" &&
  ok || bad "deficits: purge on /api/optimal: not the CLI's answer, or the same as keep"

# ---- jobs: a game search in the background, polled; cancelled at its next solve ----
# poll_job ID: wait until job ID has ended (each wait is a request: no sleeps
# that assume a speed; bounded only so that a broken server cannot hang)
poll_job() {
  local k
  for k in $(seq 2400); do
    req GET "/api/jobs/$1" >/dev/null
    [ "$(json 'j.state')" != running ] && return 0
    sleep 0.05
  done
  return 1
}
expect 202 POST /api/jobs '{"endpoint":"nash","request":{"players":["USA","CHN"]}}'
expect_json '[j.state, j.endpoint, j.poll]' '["running","nash","/api/jobs/'"$(json 'j.id')"'"]'
job=$(json 'j.id')
poll_job "$job" && ok || bad "job $job did not end"
expect_json '[j.state, j.status, j.result.converged, j.progress.length > 0, j.progress[0].startsWith("nash: round 1")]' '["done",200,true,true,true]'
cp "$tmp/body" "$tmp/job_nash.json"
expect 200 POST /api/nash '{"players":["USA","CHN"]}'
node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const job = rd(process.argv[1]).result, now = rd(process.argv[2]);
const ok = job.players.every((p, k) => Math.abs(p.tariffs[0].rate - now.players[k].tariffs[0].rate) < 1e-12 &&
  Math.abs(p.welfare_pct - now.players[k].welfare_pct) < 1e-12);
process.exit(ok ? 0 : 1);' "$tmp/job_nash.json" "$tmp/body" && ok || bad "the job's Nash tariffs are not /api/nash's"
# a long search, cancelled: it ends "cancelled" with status 409
expect 202 POST /api/jobs '{"endpoint":"nash","request":{"players":["USA","CHN"],"instrument":"sector"}}'
long=$(json 'j.id')
expect 202 DELETE "/api/jobs/$long"
expect_json 'j.state' 'cancelling'
poll_job "$long" && ok || bad "cancelled job $long did not end"
expect_json '[j.state, j.status, j.error, j.cancel_requested]' '["cancelled",409,"cancelled",true]'
# a job whose request is bad fails with the endpoint's 400 text
expect 202 POST /api/jobs '{"endpoint":"talks","request":{"players":["USA"]}}'
poll_job "$(json 'j.id')" && ok || bad "failing job did not end"
expect_json '[j.state, j.status, j.error]' '["failed",400,"players: talks need at least two players"]'
expect 200 GET /api/jobs
expect_json 'j.jobs.map(x => x.id).slice(0, 3).join(" ")' "$((long + 1)) $long $job"
expect 200 DELETE "/api/jobs/$job"
expect_json 'j.state' 'removed'
expect 404 GET "/api/jobs/$job"
refuse POST /api/jobs '{"endpoint":"solve","request":{}}' 'endpoint: must be "optimal", "nash", "talks" or "escalate"'
refuse POST /api/jobs '{"endpoint":"nash"}' 'request: must be the object the endpoint takes'
expect 405 PUT /api/jobs/1
# escalation as a job: a progress line per round
expect 202 POST /api/jobs '{"endpoint":"escalate","request":{"players":["USA","CHN"],"rule":"mirror","rounds":3}}'
esc=$(json 'j.id')
poll_job "$esc" && ok || bad "escalation job $esc did not end"
expect_json '[j.state, j.result.rounds.length, j.progress.length, j.progress[0].startsWith("escalate: round 1: tariffs 13.23 %")]' '["done",3,3,true]'

# ---- several requests at once: each equals the same request made alone ----
for k in 1 2 3 4 5 6; do
  body="{\"tariffs\":[{\"importer\":\"USA\",\"exporter\":\"CHN\",\"sector\":\"*\",\"rate\":0.$k}]}"
  curl -s --max-time "$TW_WAIT_S" -o "$tmp/seq$k" -H 'Content-Type: application/json' -d "$body" "$URL/api/solve"
done
cpids=()
for k in 1 2 3 4 5 6; do
  body="{\"tariffs\":[{\"importer\":\"USA\",\"exporter\":\"CHN\",\"sector\":\"*\",\"rate\":0.$k}]}"
  curl -s --max-time "$TW_WAIT_S" -o "$tmp/par$k" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "$body" "$URL/api/solve" >"$tmp/code$k" &
  cpids+=($!)
done
for p in "${cpids[@]}"; do wait "$p"; done
for k in 1 2 3 4 5 6; do
  [ "$(cat "$tmp/code$k")" = 200 ] && ok || bad "parallel solve $k: status $(cat "$tmp/code$k")"
  node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const a = rd(process.argv[1]), b = rd(process.argv[2]);
process.exit(JSON.stringify(a.countries) === JSON.stringify(b.countries) ? 0 : 1);' "$tmp/par$k" "$tmp/seq$k" \
    && ok || bad "parallel solve $k differs from the same solve alone"
done

# ---- saved runs ----
expect 200 GET /api/runs
expect_json 'j.runs.length' '0'
expect 200 POST /api/solve '{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"*","rate":0.5}],"save":true,"label":"half"}'
expect_json 'j.run_id' '1'
expect 200 POST /api/timeline "$(node -e 'const j=require(process.argv[1]); j.save=true; process.stdout.write(JSON.stringify(j))' "$tmp/scen.json")"
expect_json 'j.run_id' '2'
expect 200 GET /api/runs
expect_json 'j.runs.map(r => r.id + ":" + r.kind + ":" + r.source).join(" ")' '2:timeline:server 1:solve:server'
expect 200 GET /api/runs/1
expect_json '[j.label, j.inputs.tariffs[0].rate, j.options.method, j.results.countries.length, j.world_hash.length]' '["half",0.5,"newton",21,16]'
expect 404 GET /api/runs/99
expect_error "no run 99 in runs.db"
expect 200 GET '/api/runs/diff?a=1&b=1'
expect_json 'j.countries.every(c => c.welfare_pct[2] === 0) && j.same_inputs' 'true'
"$TW" runs list --db "$tmp/runs.db" >"$tmp/list.txt" 2>&1 && ok || bad "runs list on the server's store"
grep -q 'half' "$tmp/list.txt" && ok || bad "runs list shows the server's run"

# ---- a clean stop: a request in flight completes, exit 0 ----
# (a long request at hand: the sector-level US-China Nash war, which takes
# several times as long as a timeline; a request that ends before the first
# health probe would never be seen)
serve_wait_health "$URL" 'h.in_flight === 0' && ok || bad "requests still in flight before the stop"
curl -s --max-time "$TW_WAIT_S" -o "$tmp/inflight" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"players":["USA","CHN"],"instrument":"sector"}' "$URL/api/nash" >"$tmp/inflight.code" &
cpid=$!
# the signal must find the request in flight: wait until the server has it
serve_wait_health "$URL" 'h.in_flight >= 1' && ok || bad "the request never reached the server"
# and a long job running: the stop cancels it rather than waiting for it
expect 202 POST /api/jobs '{"endpoint":"nash","request":{"players":["USA","CHN"],"instrument":"sector"}}'
stop_server "$PID" TERM
wait "$cpid"
[ "$STOP_RC" = 0 ] && ok || bad "server exit status $STOP_RC after SIGTERM"
[ "$(cat "$tmp/inflight.code")" = 200 ] && ok || bad "request in flight at SIGTERM: status $(cat "$tmp/inflight.code")"
curl -s --max-time 2 "$URL/api/health" >/dev/null && bad "server still answers after stopping" || ok

start_server "$tmp/s2" --no-db --world data/world2011
expect 200 GET /api/worlds
expect_json 'j.default' 'world2011'
expect 400 POST /api/solve '{"save":true}'
expect_error 'save: this server keeps no run store (started with --no-db)'
port=${URL##*:}
"$TW" serve --port "$port" --no-db --quiet >/dev/null 2>"$tmp/busy.err"
rc=$?
[ "$rc" = 3 ] && ok || bad "second server on a taken port: exit $rc"
grep -q "^tradewar: serve: cannot listen on 127.0.0.1 port $port: " "$tmp/busy.err" && ok || bad "taken port message: $(cat "$tmp/busy.err")"
stop_server "$PID" INT
[ "$STOP_RC" = 0 ] && ok || bad "server exit status $STOP_RC after SIGINT"

"$TW" serve --bind localhost --no-db >/dev/null 2>"$tmp/bind.err"
[ $? = 2 ] && ok || bad "--bind with a name: exit status"
[ "$(cat "$tmp/bind.err")" = 'tradewar: serve: --bind "localhost" is not a numeric IPv4 or IPv6 address' ] && ok || bad "bind message: $(cat "$tmp/bind.err")"
"$TW" serve --port 70000 >/dev/null 2>&1
[ $? = 2 ] && ok || bad "--port 70000: exit status"
"$TW" serve --stop-wait -1 --no-db >/dev/null 2>"$tmp/sw.err"
[ $? = 2 ] && grep -q '^tradewar: serve: --stop-wait "-1" is not a number of seconds in \[0, 3600\]$' "$tmp/sw.err" &&
  ok || bad "--stop-wait -1: $(cat "$tmp/sw.err")"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
