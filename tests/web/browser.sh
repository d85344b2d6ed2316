#!/usr/bin/env bash
# The dashboard in headless Chromium (tests/web/browser.mjs) against a server
# on a free loopback port.  usage: browser.sh PATH/TO/tradewar OUTPUT_DIR
set -u
. "$(dirname "$0")/../common/prologue.sh"
OUT=${2:-build}
for need in /usr/bin/chromium web/node_modules/playwright-core web/node_modules/echarts; do
  if [ ! -e "$need" ]; then
    echo "FAIL: $need is missing (run scripts/install-deps)"
    exit 1
  fi
done
command -v node >/dev/null || { echo "FAIL: node is missing (run scripts/install-deps)"; exit 1; }
mkdir -p "$OUT"
. "$(dirname "$0")/../common/server.sh"
SERVE_PID=
at_exit '[ -n "$SERVE_PID" ] && serve_stop "$SERVE_PID" TERM'
serve_start "$tmp/out" "$TW" --db "$tmp/runs.db" || exit 1
# the outer bound only stops a hung browser: each wait inside has its own
timeout 1700 node tests/web/browser.mjs "$SERVE_URL/" "$OUT/dashboard.png"
