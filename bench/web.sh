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
. bench/serve.sh
bench_serve bench/web.sh world2011
node bench/web.mjs "$url"
