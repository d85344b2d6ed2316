#!/usr/bin/env bash
# Charts from the command line (PLplot): solve --plot and timeline --plot write
# SVG and PNG files atomically, refuse other extensions before solving, and
# leave nothing behind on failure.  usage: plot.sh PATH/TO/tradewar [OUTPUT_DIR]
set -u
. "$(dirname "$0")/../common/prologue.sh"
OUT=${2:-}
# the text of an SVG, with PLplot's character references decoded
svg_text() { node -e 'process.stdout.write(require("fs").readFileSync(process.argv[1], "utf8").replace(/&#x([0-9a-f]+);/gi, (m, h) => String.fromCodePoint(parseInt(h, 16))))' "$1"; }
use_plot_lsan_suppressions
is_png() { [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }

cf=data/scenarios/us_china_145_125.csv
expect_rc 0 "solve --plot svg" "$TW" solve --tariffs "$cf" --plot "$tmp/solve.svg"
grep -q '<svg' "$tmp/solve.svg" && ok || bad "solve.svg is not SVG"
svg_text "$tmp/solve.svg" | grep -q '>CHN<' && ok || bad "solve.svg names the countries"
svg_text "$tmp/solve.svg" | grep -q 'welfare (real income)' && ok || bad "solve.svg has the legend"
grep -q 'welfare%' "$tmp/out" && ok || bad "the table is still printed with --plot"
expect_rc 0 "solve --plot png --json" "$TW" solve --tariffs "$cf" --json --plot "$tmp/solve.png"
is_png "$tmp/solve.png" && ok || bad "solve.png is not a PNG"
[ "$(stat -c %s "$tmp/solve.png")" -gt 5000 ] && ok || bad "solve.png is tiny"
expect_rc 0 "timeline --plot png" "$TW" timeline --plot "$tmp/timeline.png"
is_png "$tmp/timeline.png" && ok || bad "timeline.png is not a PNG"
expect_rc 0 "timeline --plot svg" "$TW" timeline --plot "$tmp/timeline.svg"
svg_text "$tmp/timeline.svg" | grep -q 'USA on CHN' && ok || bad "timeline.svg has the tariff legend"

expect_rc 2 "unknown extension" "$TW" solve --tariffs "$cf" --plot "$tmp/solve.pdf"
[ "$(head -n 1 "$tmp/err")" = "tradewar: solve: --plot \"$tmp/solve.pdf\" must end in .svg or .png" ] && ok || bad "extension message: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && bad "solved although --plot was bad" || ok
expect_rc 2 "timeline unknown extension" "$TW" timeline --plot "$tmp/t.jpg"
expect_rc 3 "unwritable folder" "$TW" solve --tariffs "$cf" --plot "$tmp/no/such/dir/x.svg"
ls "$tmp"/no 2>/dev/null && bad "left something behind" || ok
[ -z "$(ls "$tmp" | grep '\.tmp\.')" ] && ok || bad "temporary files left: $(ls "$tmp")"

# keep copies for a look (docs/img holds the README's)
if [ -n "$OUT" ]; then mkdir -p "$OUT" && cp "$tmp/solve.png" "$tmp/timeline.png" "$OUT/"; fi
finish
