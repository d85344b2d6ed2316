#!/usr/bin/env bash
# `tradewar serve` against a hostile client, on a free loopback port:
#  - cross-site requests: a request whose Origin is not this server is 403,
#    a POST whose Content-Type is not application/json is 415 (a web page can
#    send text/plain without asking), and neither saves a run;
#  - request bodies that are not clean JSON: invalid UTF-8, text after the
#    value, duplicate keys, NUL characters (\u0000 or raw), a run label over
#    200 characters: 400 with the exact message, never a truncated value;
#  - %00 in a URL's path or query: 400, not a truncated name;
#  - no absolute path of the server's in any answer (world folders, the data
#    folder, the run store), including runs saved by the command line;
#  - error answers checked byte by byte on a raw socket: exactly one status
#    line, also for the malformed or oversized Content-Length that
#    libmicrohttpd 0.9.75 itself would answer with its head sent twice.
# The data folder is a temporary one (TRADEWAR_DATA) with a small world, a
# broken world and a broken scenario, so that paths in errors are known.
# usage: hostile.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"
. "$(dirname "$0")/../common/server.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
serve_kill_at_exit

data=$tmp/data
mkdir -p "$data/scenarios"
cp -r tests/data/good/tiny3x2 "$data/tiny3x2"
cp -r tests/data/bad/negative_trade_value "$data/broken"
cp tests/data/scenarios/bad/date_wrong_shape.tw "$data/scenarios/bad.tw"
printf 'importer,exporter,sector,rate\nUSA,CHN,*,0.5\n' >"$tmp/cf.csv"

TRADEWAR_DATA=$data serve_start "$tmp/serve.out" "$TW" --world tiny3x2 --db "$tmp/runs.db" || exit 1
PID=$SERVE_PID URL=$SERVE_URL
PORT=${URL##*:}
HOST=127.0.0.1:$PORT

# post PATH BODY|@FILE [curl args...] -> $tmp/body, prints the status (the
# type is application/json unless the arguments give a Content-Type)
n=0
post() {
  local p=$1 b=$2; shift 2
  n=$((n + 1))
  local f=$tmp/req type=(-H 'Content-Type: application/json')
  if [ "${b:0:1}" = @ ]; then f=${b:1}; else printf '%s' "$b" >"$f"; fi
  case "$*" in *Content-Type:*) type=() ;; esac
  curl -s --max-time 60 -o "$tmp/body" -w '%{http_code}' "${type[@]}" --data-binary "@$f" "$@" "$URL$p"
  cp "$tmp/body" "$tmp/answer.$n"
}
get() {
  local p=$1; shift
  n=$((n + 1))
  curl -s --max-time 60 --path-as-is -o "$tmp/body" -w '%{http_code}' "$@" "$URL$p"
  cp "$tmp/body" "$tmp/answer.$n"
}
# field EXPR: a Python expression on the last body (as j)
field() { python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); v = eval(sys.argv[2]); print(v if isinstance(v, str) else json.dumps(v))' "$tmp/body" "$1" 2>&1; }
expect() { # STATUS GOT WHAT
  [ "$2" = "$1" ] && ok || bad "$3: status $2, expected $1: $(head -c 300 "$tmp/body")"
}
expect_error() { # exact error text of the last body ({"error":"...","status":N})
  local esc=${1//\\/\\\\} body
  esc=${esc//\"/\\\"}
  body=$(cat "$tmp/body")
  [[ "$body" == "{\"error\":\"$esc\",\"status\":"* ]] && ok || bad "error $body, expected '$1'"
}
expect_field() { # EXPR WANT
  local got; got=$(field "$1")
  [ "$got" = "$2" ] && ok || bad "$1 = '$got', expected '$2'"
}
solve='{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"*","rate":0.5}]}'

# ---- cross-site requests ------------------------------------------------------
# a page elsewhere can POST text/plain (a "simple" request: no preflight)
expect 415 "$(post /api/solve '{"save":true,"label":"csrf"}' -H 'Content-Type: text/plain')" "text/plain POST"
expect_error 'request: Content-Type must be application/json (got "text/plain")'
expect 415 "$(post /api/solve '{"save":true}' -H 'Content-Type: application/json' -H 'Content-Type: text/plain')" "two types"
expect_error 'request: Content-Type must be application/json (got "text/plain")'
expect 415 "$(post /api/solve '{"save":true}' -H 'Content-Type: application/x-www-form-urlencoded')" "form POST"
expect 415 "$(post /api/solve '{"save":true}' -H 'Content-Type: multipart/form-data; boundary=x')" "multipart POST"
expect 415 "$(post /api/solve '{"save":true}' -H 'Content-Type:')" "POST without Content-Type"
expect_error 'request: Content-Type must be application/json (got none)'
expect 415 "$(post /api/solve '{}' -H 'Content-Type: application/jsonx')" "application/jsonx"
expect 415 "$(post /api/nash '{"players":["USA","CHN"]}' -H 'Content-Type: text/plain')" "text/plain on /api/nash"
expect 415 "$(post /api/timeline '{"scenario":"bad"}' -H 'Content-Type: text/plain')" "text/plain on /api/timeline"
# parameters and case are allowed
expect 200 "$(post /api/solve "$solve" -H 'Content-Type: application/json; charset=utf-8')" "JSON with charset"
expect 200 "$(post /api/solve "$solve" -H 'Content-Type: Application/JSON ;charset=UTF-8')" "JSON in capitals"
# a request from a page on another origin
expect 403 "$(post /api/solve '{"save":true}' -H 'Origin: http://evil.example')" "foreign Origin"
expect_error "request: Origin \"http://evil.example\" is not this server (expected http://$HOST)"
expect 403 "$(get /api/health -H 'Origin: http://evil.example')" "foreign Origin on GET"
expect 403 "$(post /api/solve "$solve" -H 'Origin: null')" "Origin null"
expect 403 "$(post /api/solve "$solve" -H "Origin: https://$HOST")" "https Origin"
expect 403 "$(post /api/solve "$solve" -H "Origin: http://$HOST.evil.example")" "Origin with a suffix"
expect 200 "$(post /api/solve "$solve" -H "Origin: http://$HOST")" "same Origin"
expect 200 "$(get /api/health -H "Origin: http://$HOST")" "same Origin on GET"
expect 200 "$(get /api/runs)" "runs"
expect_field 'len(j["runs"])' '0' # nothing was saved by the refused requests
# the dashboard page sends JSON
grep -q "headers: { 'Content-Type': 'application/json' }" web/app.js && ok || bad "web/app.js posts application/json"

# ---- request bodies -----------------------------------------------------------
label200=$(printf 'x%.0s' $(seq 200))
expect 200 "$(post /api/solve "{\"label\":\"$label200\"}")" "label of 200 characters"
expect 400 "$(post /api/solve "{\"label\":\"${label200}y\"}")" "label of 201 characters"
expect_error 'label: 201 characters (at most 200)'
e200=$(printf '\xc3\xa9%.0s' $(seq 200)) # 200 characters, 400 bytes
expect 200 "$(post /api/solve "{\"label\":\"$e200\"}")" "label of 200 two-byte characters"
expect 400 "$(post /api/solve "{\"label\":\"${e200}y\"}")" "label of 201 two-byte characters"
expect_error 'label: 201 characters (at most 200)'
title201=$(printf 't%.0s' $(seq 201))
long_scen="{\"text\":\"scenario \\\"$title201\\\"\\nworld tiny3x2\\nfocus USA CHN\\nstep 2025-02-04 \\\"ten\\\"\\n  set f CHN -> USA * 10%\\n\""
expect 400 "$(post /api/timeline "$long_scen,\"save\":true}")" "saving a timeline titled with 201 characters"
expect_error 'scenario: title of 201 characters (a saved run'"'"'s label has at most 200)'
expect 200 "$(post /api/timeline "$long_scen}")" "a timeline titled with 201 characters, not saved"
expect 400 "$(post /api/solve "$(printf '{"label":"a\xffb"}')")" "invalid UTF-8"
expect_error 'request body is not valid UTF-8 (byte 12 of 15)'
expect 400 "$(post /api/solve "$(printf '{"label":"\xc0\xaf"}')")" "overlong UTF-8"
expect_error 'request body is not valid UTF-8 (byte 11 of 14)'
expect 400 "$(post /api/solve "$(printf '{"label":"\xed\xa0\x80"}')")" "UTF-8 surrogate"
expect_error 'request body is not valid UTF-8 (byte 11 of 15)'
expect 400 "$(post /api/solve '{} x')" "text after the value"
expect_error 'unexpected text after the JSON value at byte 4 of 4'
expect 400 "$(post /api/solve '{"tariffs":[]}{"save":true}')" "two values"
expect_error 'unexpected text after the JSON value at byte 15 of 27'
expect 400 "$(post /api/nash '{"players":["USA","CHN"]}]')" "text after the value on /api/nash"
expect_error 'unexpected text after the JSON value at byte 26 of 26'
expect 200 "$(post /api/solve "$(printf '%s \r\n\t' "$solve")")" "white space after the value"
expect 400 "$(post /api/solve '{"world":"tiny3x2","world":"broken"}')" "duplicate key"
expect_error 'request: duplicate field "world"'
expect 400 "$(post /api/solve '{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"*","rate":0.5,"rate":9}]}')" "nested duplicate key"
expect_error 'tariffs[0]: duplicate field "rate"'
expect 400 "$(post /api/timeline '{"scenario":"bad","set":[],"scenario":"x"}')" "duplicate key on /api/timeline"
expect_error 'request: duplicate field "scenario"'
# \u0000 would cut "tiny3x2\u0000junk" to "tiny3x2": refused, not truncated
expect 400 "$(post /api/solve '{"world":"tiny3x2\u0000junk"}')" "\\u0000 in a string"
expect_error 'request body has a NUL character (\u0000) at byte 18 of 29'
expect 400 "$(post /api/optimal '{"country":"USA\u0000","against":["CHN"]}')" "\\u0000 on /api/optimal"
expect_error 'request body has a NUL character (\u0000) at byte 16 of 41'
printf '{"label":"a\0b"}' >"$tmp/nul.json"
expect 400 "$(post /api/solve "@$tmp/nul.json")" "raw NUL byte"
expect_error 'request body has a NUL character at byte 12 of 15'
expect 200 "$(post /api/solve '{"label":"a\\u0000b"}')" "an escaped backslash before u0000"
expect_field 'j["scenario"]' 'a\u0000b'

# ---- NUL in URLs ---------------------------------------------------------------
expect 400 "$(get '/api/health%00junk')" "%00 in the path"
expect_error 'request: URL contains an encoded NUL byte (%00)'
expect 400 "$(get '/api/world?name=tiny3x2%00junk')" "%00 in the query"
expect_error 'request: URL contains an encoded NUL byte (%00)'
expect 400 "$(get '/api/world?name%00x=tiny3x2')" "%00 in a query name"
expect 400 "$(get '/api/world?name=tiny3x2%2500')" "an encoded per cent sign"
expect_field 'j["error"].startswith("world: unknown world \"tiny3x2%00\";")' 'true'

# ---- no absolute paths in answers ---------------------------------------------
expect 200 "$(post /api/solve "$solve")" "solve"
expect_field 'j["world"] + " " + j["world_name"]' 'tiny3x2 tiny3x2'
expect 200 "$(post /api/optimal '{"country":"USA","against":["CHN"]}')" "optimal"
expect_field 'j["result"]["world"]' 'tiny3x2'
expect 400 "$(post /api/timeline '{"scenario":"bad"}')" "a broken scenario"
expect_error 'scenarios/bad.tw:4:6: expected a date YYYY-MM-DD, found "2025-2-4"'
expect 400 "$(get '/api/world?name=broken')" "a broken world"
expect_error 'trade.csv:3: value "-3.1" for B->A G is negative (expected >= 0)'
expect 404 "$(get /api/runs/99)" "a missing run"
expect_error 'no run 99 in runs.db'
scen='scenario \"two\"\nworld tiny3x2\nfocus USA CHN\nstep 2025-02-04 \"ten\"\n  set f CHN -> USA * 10%\n'
expect 200 "$(post /api/timeline "{\"text\":\"$scen\",\"save\":true}")" "timeline"
expect_field 'j["world"]' 'tiny3x2'
expect 200 "$(get /api/runs/1)" "the saved timeline"
expect_field '[j["world"], j["results"]["world"]]' '["tiny3x2", "tiny3x2"]'
# a run saved by the command line names its files by their full paths
TRADEWAR_DATA=$data "$TW" solve --world "$data/tiny3x2" --tariffs "$tmp/cf.csv" --db "$tmp/runs.db" \
  >/dev/null 2>"$tmp/cli.err" || bad "CLI solve --db: $(cat "$tmp/cli.err")"
expect 200 "$(get /api/runs/2)" "the command line's run"
expect_field '[j["source"], j["world"], j["label"], j["inputs"]["tariffs"][0]["file"], j["results"]["world"]]' \
  '["cli", "tiny3x2", "cf.csv", "cf.csv", "tiny3x2"]'
expect 200 "$(get /api/runs)" "the run list"
expect_field '[r["world"] for r in j["runs"]]' '["tiny3x2", "tiny3x2"]'
leaks=$(grep -l -F -e "$tmp" -e "$PWD" "$tmp"/answer.* 2>/dev/null)
[ -z "$leaks" ] && ok || bad "answers naming a path of the server: $(head -c 300 $leaks)"

# ---- error answers on the wire: one status line each ---------------------------
# raw NAME WANT_STATUS REQUEST: the answer has exactly one status line, WANT_STATUS
raw() {
  python3 "$HERE/raw_http.py" "$PORT" "$3" >"$tmp/raw" 2>&1
  local lines status
  lines=$(grep -a -c '^HTTP/1\.[01] ' "$tmp/raw")
  status=$(sed -n '1s/^HTTP\/1\.[01] \([0-9]*\) .*/\1/p' "$tmp/raw" | tr -d '\r')
  [ "$lines" = 1 ] && [ "$status" = "$2" ] && ok ||
    bad "$1: $lines status lines, status '$status' (expected one, $2): $(head -c 400 "$tmp/raw" | tr '\r\n' '  ')"
}
h="Host: $HOST\r\nContent-Type: application/json\r\n"
raw 'malformed Content-Length' 400 "POST /api/solve HTTP/1.1\r\n${h}Content-Length: abc\r\n\r\n"
raw 'negative Content-Length' 400 "POST /api/solve HTTP/1.1\r\n${h}Content-Length: -5\r\n\r\n{}"
raw 'two numbers in Content-Length' 400 "POST /api/solve HTTP/1.1\r\n${h}Content-Length: 2 2\r\n\r\n{}"
raw 'Content-Length on a GET' 400 "GET /api/health HTTP/1.1\r\nHost: $HOST\r\nContent-Length: x\r\n\r\n"
raw 'Content-Length past 2^64' 413 "POST /api/solve HTTP/1.1\r\n${h}Content-Length: 99999999999999999999999999\r\n\r\n"
raw 'Content-Length over the limit' 413 "POST /api/solve HTTP/1.1\r\n${h}Content-Length: 5000000\r\n\r\n"
raw 'malformed JSON' 400 "POST /api/solve HTTP/1.1\r\n${h}Content-Length: 5\r\n\r\n{\"a\":"
raw 'text/plain' 415 "POST /api/solve HTTP/1.1\r\nHost: $HOST\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}"
raw 'foreign Origin' 403 "POST /api/solve HTTP/1.1\r\n${h}Origin: http://evil.example\r\nContent-Length: 2\r\n\r\n{}"
raw 'foreign Host' 403 "GET /api/health HTTP/1.1\r\nHost: evil.example\r\n\r\n"
raw '%00 in the path' 400 "GET /api/health%00 HTTP/1.1\r\nHost: $HOST\r\n\r\n"
raw 'raw NUL in the path' 400 "GET /api/health\x00x HTTP/1.1\r\nHost: $HOST\r\n\r\n"
raw 'health' 200 "GET /api/health HTTP/1.1\r\nHost: $HOST\r\n\r\n"

kill -0 "$PID" 2>/dev/null && ok || bad "the server died: $(tail -5 "$tmp/serve.out.err")"
"$TW" serve --request-timeout 0 --no-db >/dev/null 2>"$tmp/rt.err"
[ $? = 2 ] && grep -q '^tradewar: serve: --request-timeout "0" is not a number of seconds in \[1, 3600\]$' "$tmp/rt.err" &&
  ok || bad "--request-timeout 0: $(cat "$tmp/rt.err")"
serve_stop "$PID" TERM
PID=
[ "$STOP_RC" = 0 ] && ok || bad "server exit status $STOP_RC after SIGTERM: $(tail -5 "$tmp/serve.out.err")"
finish
