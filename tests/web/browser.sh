#!/usr/bin/env bash
# The dashboard in headless Chromium (tests/web/browser.mjs) against a server
# on a free loopback port.  usage: browser.sh PATH/TO/tradewar OUTPUT_DIR
set -u
TW=$1
OUT=${2:-build}
for need in /usr/bin/chromium web/node_modules/playwright-core web/node_modules/echarts; do
  if [ ! -e "$need" ]; then
    echo "FAIL: $need is missing (run scripts/install-deps)"
    exit 1
  fi
done
command -v node >/dev/null || { echo "FAIL: node is missing (run scripts/install-deps)"; exit 1; }
mkdir -p "$OUT"
tmp=$(mktemp -d)
"$TW" serve --port 0 --db "$tmp/runs.db" --quiet >"$tmp/out" 2>"$tmp/err" &
pid=$!
cleanup() {
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
url=
for _ in $(seq 100); do
  url=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$tmp/out")
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "FAIL: server did not start: $(cat "$tmp/err")"
  exit 1
fi
timeout 180 node tests/web/browser.mjs "$url" "$OUT/dashboard.png"
