#!/usr/bin/env bash
# Inputs that never end: every reader of the command line is bounded (lines up
# to 1 MiB; world, scenario, counterfactual and NTB files up to 256 MiB,
# importer inputs up to 4 GiB) and refuses more with exit 2 and file:line.
#
#   /dev/zero    NUL bytes and no line end: the real 1 MiB line limit (reads
#                1 MiB, whatever the machine's load)
#   a long line  a world file with a 2 MiB line
#   yes | ...    lines that are each fine, forever: the file limit, lowered for
#                the test with TRADEWAR_TEST_MAX_INPUT_BYTES (read by the command
#                line only) so that a case reads 1 MB, not 256 MiB
#   a NUL byte   inside a text file: bad input at its line
# usage: inputs.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"
feeder=
at_exit '[ -n "$feeder" ] && kill "$feeder" 2>/dev/null'
# expect RC MESSAGE WHAT: the last command's exit status and its whole stderr
expect() {
  [ "$rc" = "$1" ] && ok || bad "$3: exit $rc, expected $1"
  expect_stderr "$2" "$3"
}
zero='/dev/zero:1: line is longer than the limit of 1 MiB (is this a text file?)'
LIMIT=1000000
big() { echo "file is larger than the limit of $LIMIT bytes for this input"; }
# the line that crosses LIMIT after a header of $1 bytes and rows of $2 bytes
crossing() { echo $(( (LIMIT - $1) / $2 + 2 )); }

# ---- /dev/zero at every reader ------------------------------------------------
"$TW" solve --tariffs /dev/zero >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: $zero" "solve --tariffs /dev/zero"
"$TW" solve --ntb /dev/zero >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: $zero" "solve --ntb /dev/zero"
"$TW" timeline /dev/zero >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: $zero" "timeline /dev/zero"
"$TW" import icio /dev/zero --theta 4 --out "$tmp/icio" >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: $zero" "import icio /dev/zero"
"$TW" import wiod /dev/zero --theta 4 --out "$tmp/wiod" >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: $zero" "import wiod /dev/zero"
"$TW" import bilateral --trade /dev/zero --gdp tests/data/import/gdp3.csv \
  --gdp-columns iso,gdp_usd --out "$tmp/bil" >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: $zero" "import bilateral --trade /dev/zero"
"$TW" sweep --theta-set all --theta-file /dev/zero --tariffs data/scenarios/us_china_30.csv \
  >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: $zero" "sweep --theta-file /dev/zero"
[ ! -e "$tmp/icio" ] && [ ! -e "$tmp/wiod" ] && [ ! -e "$tmp/bil" ] && ok || bad "an import wrote a world"

# ---- a world file with a 2 MiB line -------------------------------------------------
cp -r tests/data/good/tiny3x2 "$tmp/long"
{ echo importer,exporter,sector,value; head -c 2097152 /dev/zero | tr '\0' 'x'; echo; } \
  > "$tmp/long/trade.csv"
"$TW" solve --world "$tmp/long" >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: trade.csv:2: line is longer than the limit of 1 MiB (is this a text file?)" \
  "solve --world with a 2 MiB line"

# ---- yes | ...: the file limit -------------------------------------------------------
export TRADEWAR_TEST_MAX_INPUT_BYTES=$LIMIT
{ echo importer,exporter,sector,rate; yes USA,CHN,AGR,0.1; } \
  | "$TW" solve --tariffs /dev/stdin >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: /dev/stdin:$(crossing 30 16): $(big)" "yes | solve --tariffs"
{ echo importer,exporter,sector,factor; yes USA,CHN,AGR,1.1; } \
  | "$TW" solve --ntb /dev/stdin >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: /dev/stdin:$(crossing 32 16): $(big)" "yes | solve --ntb"
yes '# a comment' | "$TW" timeline /dev/stdin >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: /dev/stdin:$(crossing 12 12): $(big)" "yes | timeline"
{ echo importer,exporter,value; yes ''; } \
  | "$TW" import bilateral --trade /dev/stdin --gdp tests/data/import/gdp3.csv \
      --gdp-columns iso,gdp_usd --out "$tmp/bil" >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: /dev/stdin:$(crossing 24 1): $(big)" "yes | import bilateral"
# a world file that never ends: countries.csv is a FIFO fed by yes
mkdir "$tmp/fifo"
cp tests/data/good/tiny3x2/*.csv "$tmp/fifo/"
rm "$tmp/fifo/countries.csv"
mkfifo "$tmp/fifo/countries.csv"
{ echo code,name; yes ''; } > "$tmp/fifo/countries.csv" &
feeder=$!
"$TW" solve --world "$tmp/fifo" >/dev/null 2>"$tmp/err"; rc=$?
kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null; feeder=
expect 2 "tradewar: countries.csv:$(crossing 10 1): $(big)" "solve --world with a FIFO fed by yes"
unset TRADEWAR_TEST_MAX_INPUT_BYTES

# ---- a NUL byte ----------------------------------------------------------------------
printf 'importer,exporter,sector,rate\nUSA,CHN,AGR,0\000.1\n' > "$tmp/nul.csv"
"$TW" solve --tariffs "$tmp/nul.csv" >/dev/null 2>"$tmp/err"; rc=$?
expect 2 "tradewar: $tmp/nul.csv:2: the file contains a NUL byte (expected text)" "NUL byte"

finish
