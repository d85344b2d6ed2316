#!/usr/bin/env bash
# `tradewar serve` with 120 slow and idle connections open from 127.0.0.1
# (tests/server/slow_clients.py): the health check and the page still answer,
# and the server closes the slow connections itself.
#  - hold: a server that gives a slow request 60 s: with the slow
#    connections held, GET /api/health and GET / answer 200; 64 slow
#    connections (the places per address) stay open, the others are closed
#    when their first second is up;
#  - close: a server that gives a slow request 3 s: every slow connection
#    is closed by the server (408 to those still sending their head), and
#    the health check answers afterwards.
# No assertion depends on a time: each step waits (bounded) for the state it
# needs; the 60 s hold only makes sure the state lasts past the answers.
# usage: slow.sh PATH/TO/tradewar
set -u
TW=$1
HERE=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
PID=
cleanup() {
  [ -n "$PID" ] && kill -KILL "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fails=0

# serve ARGS... -> PORT, PID
serve() {
  "$TW" serve --port 0 --no-db --quiet "$@" >"$tmp/serve.out" 2>"$tmp/serve.err" &
  PID=$!
  local url=
  for _ in $(seq 100); do
    url=$(sed -n 's/^listening on \(http:[^ ]*\)\/$/\1/p' "$tmp/serve.out")
    [ -n "$url" ] && break
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "FAIL: server did not start: $(cat "$tmp/serve.err")"; exit 1; }
  PORT=${url##*:}
}
stop() {
  kill -TERM "$PID"
  wait "$PID"
  local rc=$?
  PID=
  [ "$rc" = 0 ] || { echo "FAIL: server exit status $rc after SIGTERM"; fails=$((fails + 1)); }
}

serve --request-timeout 60
python3 "$HERE/slow_clients.py" hold "$PORT" "$PID" 120 || fails=$((fails + 1))
stop

serve --request-timeout 3
python3 "$HERE/slow_clients.py" close "$PORT" "$PID" 120 || fails=$((fails + 1))
stop

[ "$fails" -eq 0 ] && echo "slow: passed"
[ "$fails" -eq 0 ]
