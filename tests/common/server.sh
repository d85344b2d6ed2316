# tests/common/server.sh - `tradewar serve` for the shell tests that need a
# server (sourced by tests/server/*.sh and tests/web/browser.sh).
#
# Every wait here is a poll for a state (the address printed, GET /api/health
# answering, a field of its answer, the process gone), never a fixed sleep, so
# a slow or busy machine only makes the test longer.  A wait gives up after
# TW_WAIT_S seconds (default 600) with a message that says what it waited for;
# that bound only keeps a broken server from hanging the suite.
TW_WAIT_S=${TW_WAIT_S:-600}

# serve_start OUT TRADEWAR ARGS...: runs `TRADEWAR serve --port 0 --quiet ARGS`
# (standard output to OUT, standard error to OUT.err) and waits until it has
# printed its address and answers GET /api/health.  Sets SERVE_URL (without
# the final /) and SERVE_PID; prints "FAIL: ..." and returns 1 when the
# server exits first or the wait runs out.
serve_start() {
  local out=$1 tw=$2 end=$((SECONDS + TW_WAIT_S)) code
  shift 2
  "$tw" serve --port 0 --quiet "$@" >"$out" 2>"$out.err" &
  SERVE_PID=$!
  SERVE_URL=
  while :; do
    [ -n "$SERVE_URL" ] || SERVE_URL=$(sed -n 's/^listening on \(http:[^ ]*\)\/$/\1/p' "$out")
    if [ -n "$SERVE_URL" ]; then
      code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$SERVE_URL/api/health")
      [ "$code" = 200 ] && return 0
    fi
    if ! kill -0 "$SERVE_PID" 2>/dev/null; then
      echo "FAIL: server exited before answering GET /api/health: $(cat "$out.err")"
      return 1
    fi
    if [ "$SECONDS" -ge "$end" ]; then
      echo "FAIL: server gave no address or no answer to GET /api/health in $TW_WAIT_S s" \
           "(address '$SERVE_URL'): $(cat "$out.err")"
      return 1
    fi
    sleep 0.1
  done
}

# serve_stop PID SIGNAL: sends SIGNAL and waits for the process to exit; sets
# STOP_RC to its exit status, or to 124 (after SIGKILL) when it is still
# running after the wait.
serve_stop() {
  local pid=$1 end=$((SECONDS + TW_WAIT_S))
  kill -"$2" "$pid" 2>/dev/null
  while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    STOP_RC=124
    return
  fi
  wait "$pid"
  STOP_RC=$?
}

# serve_kill PID: kills a server left running (SIGKILL) and reaps it; nothing
# when PID is empty.
serve_kill() {
  [ -n "$1" ] || return 0
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}

# serve_kill_at_exit: for a script that keeps its server's pid in PID (set
# empty here; empty again once the server is stopped), serve_kill "$PID" when
# the script exits.  Needs tests/common/prologue.sh (at_exit) sourced first.
serve_kill_at_exit() {
  PID=
  at_exit 'serve_kill "$PID"'
}

# serve_wait_health URL EXPR: polls GET URL/api/health until the JavaScript
# expression EXPR on its answer (as h) is true, e.g. 'h.in_flight >= 1'.  The
# polls share one keep-alive connection, so each has finished on the server
# before the next arrives and in_flight counts other clients only.  Prints
# "FAIL: ..." with the last answer and returns 1 when the wait runs out.
serve_wait_health() {
  node -e '
const http = require("http");
const [url, expr, waitS] = process.argv.slice(1);
const holds = new Function("h", `return (${expr});`);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const end = Date.now() + 1000 * Number(waitS);
const get = () => new Promise((resolve) => {
  http.get(`${url}/api/health`, { agent }, (res) => {
    let text = "";
    res.on("data", (d) => { text += d; });
    res.on("end", () => resolve(text));
    res.on("error", (e) => resolve(String(e)));
  }).on("error", (e) => resolve(String(e)));
});
(async () => {
  for (;;) {
    const text = await get();
    let ok = false;
    try { ok = Boolean(holds(JSON.parse(text))); } catch (e) { ok = false; }
    if (ok) { agent.destroy(); return; }
    if (Date.now() >= end) {
      console.log(`FAIL: GET /api/health did not show ${expr} in ${waitS} s (last answer: ${text.slice(0, 200)})`);
      agent.destroy();
      process.exitCode = 1;
      return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
})();' "$1" "$2" "$TW_WAIT_S"
}
