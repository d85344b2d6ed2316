#!/usr/bin/env bash
# The dashboard's re-solve on the server (called by bench/run): a server on a
# free loopback port with world2011-full, then REPS POST /api/solve of US-China
# 145 % / 125 %.  Prints the server's own solve time (elapsed_ms) of the first
# request, which builds the solver, and the median of the others, which take
# one kept by the server with the baseline's Jacobian (server/pool.h), and the
# median round trip seen by the client (curl, the whole JSON answer with
# bilateral and sector results, as the dashboard asks); goal 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
TW=${TW:-build/tradewar}
REPS=${REPS:-7}
. bench/serve.sh
bench_serve bench/server_solve.sh world2011-full
# what the dashboard sends: bilateral and sector results too
body='{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"*","rate":1.45},{"importer":"CHN","exporter":"USA","sector":"*","rate":1.25}],"bilateral":true,"sectors":true}'
# the world is loaded by the first request of any kind: load it before timing
curl -sf --max-time 120 -o /dev/null "${url}api/world"
for k in $(seq "$REPS"); do
  rt=$(curl -sf --max-time 120 -o "$tmp/r$k.json" -w '%{time_total}' -H 'Content-Type: application/json' \
    --data-binary "$body" "${url}api/solve")
  echo "$rt $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["elapsed_ms"])' "$tmp/r$k.json")"
done > "$tmp/times"
python3 - "$tmp/times" <<'PY'
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1])]
first, rest = rows[0], rows[1:]
print("  first request (new solver): solve %.1f ms, round trip %.1f ms" % (first[1], 1e3 * first[0]))
print("  later requests (kept solver), median of %d: solve %.1f ms, round trip %.1f ms (goal 50 ms)"
      % (len(rest), statistics.median(r[1] for r in rest), 1e3 * statistics.median(r[0] for r in rest)))
PY
