#!/usr/bin/env bash
# The server under load: many concurrent clients on loopback against
# `tradewar serve` on world2011, a mix of solves (four tariff/NTB shocks whose
# answers `tradewar solve --json` gives first) and world summaries, while
# other clients send their requests a byte at a time, oversized bodies (by
# Content-Length and chunked), malformed JSON and bytes that are not HTTP, and
# hang up on solves before the answer (tests/server/load.mjs).
#
# Passes when there are no errors and no wrong answers (every welfare, real
# wage, price and revenue within 1e-9 of the command line's), the misbehaving
# clients get the documented answers, the requests they left behind finish
# (GET /api/health shows none in flight), the server still answers
# afterwards, and its RSS after the run is within 20 % + 10 MB of its RSS
# after the warm-up (not checked in a sanitized build, whose allocator keeps
# freed memory in quarantine).  The request rate and the latencies are
# figures to read, not conditions: a busy machine only makes them worse.
#
# make test: 20 clients for 10 s.  make load: LOAD_CLIENTS=50 LOAD_SECONDS=60.
# The figures go to standard output and to $LOAD_REPORT (default: a
# temporary file).
# usage: load.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"
. "$(dirname "$0")/../common/server.sh"
SECONDS_=${LOAD_SECONDS:-10}
CLIENTS=${LOAD_CLIENTS:-20}
serve_kill_at_exit
fail() { echo "FAIL: $*"; exit 1; }

# ---- the shocks, as counterfactual files and as request bodies ----------------
# name|tariff rows (importer,exporter,sector,rate;...)|ntb rows (...;...)
shocks=(
  "145_125|USA,CHN,*,1.45;CHN,USA,*,1.25|"
  "usa_30|USA,CHN,*,0.30|"
  "all_on_chn|*,CHN,*,0.5;CHN,*,*,0.2|"
  "ntb_food|USA,CHN,ELEC,0.6|CHN,USA,FOOD,1.2"
)
echo '[' >"$tmp/cases.json"
first=1
for s in "${shocks[@]}"; do
  IFS='|' read -r name tariffs ntbs <<<"$s"
  args=()
  if [ -n "$tariffs" ]; then
    { echo importer,exporter,sector,rate; tr ';' '\n' <<<"$tariffs"; } >"$tmp/$name.csv"
    args+=(--tariffs "$tmp/$name.csv")
  fi
  if [ -n "$ntbs" ]; then
    { echo importer,exporter,sector,factor; tr ';' '\n' <<<"$ntbs"; } >"$tmp/$name.ntb.csv"
    args+=(--ntb "$tmp/$name.ntb.csv")
  fi
  # the same rows as a request body
  body=$(node -e '
const rows = (s, k) => (s ? s.split(";") : []).map((r) => {
  const [importer, exporter, sector, v] = r.split(",");
  return { importer, exporter, sector, [k]: Number(v) };
});
const b = { tariffs: rows(process.argv[1], "rate"), ntb: rows(process.argv[2], "factor"), bilateral: false };
process.stdout.write(JSON.stringify(b));' "$tariffs" "$ntbs")
  "$TW" solve "${args[@]}" --json >"$tmp/$name.json" 2>"$tmp/$name.err" ||
    fail "tradewar solve ${args[*]}: $(cat "$tmp/$name.err")"
  [ "$first" = 1 ] || echo ',' >>"$tmp/cases.json"
  first=0
  printf '{"body": %s, "expect": %s}\n' "$(node -e 'process.stdout.write(JSON.stringify(process.argv[1]))' "$body")" \
    "$(cat "$tmp/$name.json")" >>"$tmp/cases.json"
done
echo ']' >>"$tmp/cases.json"

# ---- the server ------------------------------------------------------------------
# the byte-at-a-time clients send about 250 bytes with 5 ms between them: on a
# busy machine their timers stretch past the default 10 s a slow request may
# take (server_slow tests that limit); here they must get their answers
serve_start "$tmp/serve.out" "$TW" --no-db --world world2011 --request-timeout 600 || exit 1
PID=$SERVE_PID URL=$SERVE_URL

echo "load: $CLIENTS clients for $SECONDS_ s (after a warm-up) on $URL, world2011"
node "$(dirname "$0")/load.mjs" "$URL" "$PID" "$SECONDS_" "$CLIENTS" "$tmp/cases.json" "$tmp/out.json" ||
  fail "load client failed"
kill -0 "$PID" 2>/dev/null || fail "the server died: $(tail -5 "$tmp/serve.out.err")"
sanitized=0
ldd "$TW" 2>/dev/null | grep -q 'libasan' && sanitized=1
report=${LOAD_REPORT:-$tmp/report.txt}
node -e '
const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const sanitized = process.argv[2] === "1";
const f = (x) => (typeof x === "number" ? x.toFixed(1) : x);
const lines = [
  `clients ${o.clients}, ${f(o.seconds)} s (warm-up ${f(o.warmup_seconds)} s): ${o.requests} requests ` +
    `(${o.solves} solves, ${o.worlds} world summaries), ${f(o.rate_per_s)} requests/s`,
  `errors ${o.errors}, wrong answers ${o.wrong}`,
  `latency ms: p50 ${f(o.latency_ms.p50)}, p95 ${f(o.latency_ms.p95)}, p99 ${f(o.latency_ms.p99)}, max ${f(o.latency_ms.max)}`,
  `misbehaving clients: ${o.misbehaving.slow} byte-at-a-time solves, ${o.misbehaving.oversized} + ` +
    `${o.misbehaving.chunked_oversized} oversized (length, chunked), ${o.misbehaving.malformed} malformed, ` +
    `${o.misbehaving.not_http} not HTTP, ${o.misbehaving.hung_up} hung up mid-solve; ` +
    `${o.misbehaving.failures} unexpected answers`,
  `server RSS: ${(o.rss_kb.warm / 1024).toFixed(1)} MB after warm-up, peak ${(o.rss_kb.peak / 1024).toFixed(1)} MB, ` +
    `${(o.rss_kb.after / 1024).toFixed(1)} MB after the run${sanitized ? " (sanitized build: not checked)" : ""}`,
  `no request left in flight afterwards: ${o.drained}; still serving: ${o.still_serving}`,
];
for (const m of o.messages) lines.push("  " + m);
process.stdout.write(lines.join("\n") + "\n");
const rssOk = sanitized || o.rss_kb.after <= 1.2 * o.rss_kb.warm + 10 * 1024;
const pass = o.requests > 0 && o.errors === 0 && o.wrong === 0 && o.misbehaving.failures === 0 &&
  o.misbehaving.slow > 0 && o.drained && o.still_serving && rssOk;
process.exit(pass ? 0 : 1);' "$tmp/out.json" "$sanitized" | tee "$report"
rc=${PIPESTATUS[0]}
serve_stop "$PID" TERM
PID=
[ "$STOP_RC" = 0 ] || fail "server exit status $STOP_RC after SIGTERM"
[ "$rc" = 0 ] || fail "see the figures above"
echo "load: passed"
