# bench/serve.sh - a server for the benchmarks that talk HTTP (sourced by
# bench/web.sh and bench/server_solve.sh).
# bench_serve NAME WORLD: starts `$TW serve` on a free loopback port with WORLD
# and no run store, waits until it has printed its address and answers GET
# /api/health (at most 120 s), and sets url (ending in /), pid and tmp (a
# temporary folder); the server is stopped and tmp removed when the script
# exits.  NAME prefixes the messages of a server that stops or never answers.
bench_serve() {
  local name=$1 world=$2
  tmp=$(mktemp -d)
  "$TW" serve --port 0 --no-db --quiet --world "$world" >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  trap 'kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
  url=
  for _ in $(seq 1200); do
    [ -n "$url" ] || url=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$tmp/out")
    [ -n "$url" ] && curl -sf --max-time 10 -o /dev/null "${url}api/health" && return 0
    kill -0 "$pid" 2>/dev/null || { echo "$name: the server stopped: $(cat "$tmp/err")" >&2; exit 1; }
    sleep 0.1
  done
  echo "$name: the server did not answer: $(cat "$tmp/err")" >&2
  exit 1
}
