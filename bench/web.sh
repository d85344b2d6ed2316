#!/usr/bin/env bash
# The dashboard's slider round trip (called by bench/run): a server on a free
# loopback port, then bench/web.mjs in headless Chromium (input event ->
# re-solve -> charts drawn, median of several moves; goal 1000 ms on world2011).
# Prints a note and does nothing when Chromium or the page's npm packages are
# missing (scripts/install-deps installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
TW=${TW:-build/tradewar}
for need in /usr/bin/chromium web/node_modules/playwright-core web/node_modules/echarts; do
  if [ ! -e "$need" ]; then
    echo "  skipped: $need is missing (run scripts/install-deps)"
    exit 0
  fi
done
tmp=$(mktemp -d)
"$TW" serve --port 0 --no-db --quiet --world world2011 >"$tmp/out" 2>"$tmp/err" &
pid=$!
cleanup() {
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
# wait until the server has printed its address and answers (at most 120 s)
url=
for _ in $(seq 1200); do
  [ -n "$url" ] || url=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$tmp/out")
  [ -n "$url" ] && curl -sf --max-time 10 -o /dev/null "${url}api/health" && break
  kill -0 "$pid" 2>/dev/null || { echo "bench/web.sh: the server stopped: $(cat "$tmp/err")" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] && curl -sf --max-time 10 -o /dev/null "${url}api/health" ||
  { echo "bench/web.sh: the server did not answer: $(cat "$tmp/err")" >&2; exit 1; }
node bench/web.mjs "$url"
