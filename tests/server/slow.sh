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
. "$(dirname "$0")/../common/prologue.sh"
. "$(dirname "$0")/../common/server.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
serve_kill_at_exit

# serve ARGS... -> PORT, PID
serve() {
  serve_start "$tmp/serve.out" "$TW" --no-db "$@" || exit 1
  PID=$SERVE_PID PORT=${SERVE_URL##*:}
}
stop() {
  serve_stop "$PID" TERM
  PID=
  [ "$STOP_RC" = 0 ] || bad "server exit status $STOP_RC after SIGTERM"
}

serve --request-timeout 60
python3 "$HERE/slow_clients.py" hold "$PORT" "$PID" 120 || bad "slow clients held"
stop

serve --request-timeout 3
python3 "$HERE/slow_clients.py" close "$PORT" "$PID" 120 || bad "slow clients closed"
stop

[ "$fails" -eq 0 ] && echo "slow: passed"
[ "$fails" -eq 0 ]
