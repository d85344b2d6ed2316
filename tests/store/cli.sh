#!/usr/bin/env bash
# The run store from the command line: solve/timeline --save and --db, the
# default store under the user's data folder, runs list/show/diff and their
# errors.  usage: cli.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"
run() { expect_rc "$@"; } # rc, description, command...
has() { grep -q -- "$1" "$tmp/$2" && ok || bad "$2 lacks '$1': $(head -c 400 "$tmp/$2")"; }
json() { node -e "const j=JSON.parse(require('fs').readFileSync('$tmp/out','utf8')); const v=($1); process.stdout.write(typeof v==='string'?v:JSON.stringify(v))"; }
expect_json() { local got; got=$(json "$1" 2>&1); [ "$got" = "$2" ] && ok || bad "$1 = '$got', expected '$2'"; }

db=$tmp/runs.db
printf 'importer,exporter,sector,rate\nUSA,CHN,*,0.30\n' >"$tmp/a.csv"
printf 'importer,exporter,sector,rate\nUSA,CHN,*,0.60\n' >"$tmp/b.csv"

run 0 "list of a new store" "$TW" runs list --db "$db"
has "no runs saved in $db" out
run 0 "solve --db" "$TW" solve --tariffs "$tmp/a.csv" --db "$db"
has "welfare%" out
[ "$(cat "$tmp/err")" = "tradewar: solve: saved run 1 in $db" ] && ok || bad "save message: $(cat "$tmp/err")"
run 0 "solve --save --db --json" "$TW" solve --tariffs "$tmp/b.csv" --method tatonnement --save --db "$db" --json
run 0 "solve without --save" "$TW" solve --tariffs "$tmp/b.csv"
[ -s "$tmp/err" ] && bad "a solve without --save says: $(cat "$tmp/err")" || ok

run 0 "runs list" "$TW" runs list --db "$db"
[ "$(wc -l <"$tmp/out")" = 3 ] && ok || bad "runs list: $(cat "$tmp/out")"
has "solve     cli     world2011" out
head -n 2 "$tmp/out" | tail -n 1 | grep -q '^    2  ' && ok || bad "newest run first: $(cat "$tmp/out")"
run 0 "runs list --json --limit 1" "$TW" runs list --db "$db" --json --limit 1
expect_json 'j.map(r => r.id)' '[2]'

run 0 "runs show --json" "$TW" runs show 1 --db "$db" --json
expect_json 'JSON.stringify(j.inputs.tariffs[0].text)' '"importer,exporter,sector,rate\nUSA,CHN,*,0.30\n"'
expect_json '[j.kind, j.source, j.options.method, j.options.tol, j.converged]' '["solve","cli","newton",1e-10,true]'
expect_json 'j.world_hash.length === 16 && j.iterations > 0 && j.seconds > 0' 'true'
expect_json 'j.results.countries.find(c => c.code === "CHN").welfare_pct < 0' 'true'
expect_json '(u => [u.etr_base_pct < u.etr_post_pct, u.etr_post_pct < u.etr_pre_pct])(j.results.countries.find(c => c.code === "USA"))' '[true,true]'
run 0 "runs show" "$TW" runs show 2 --db "$db"
has "run 2: solve from cli" out
has 'options: {"method":"tatonnement"' out
has "^CHN " out

run 0 "runs diff" "$TW" runs diff 1 2 --db "$db"
has "runs 1 -> 2: solve vs solve; same world: yes; same inputs: no" out
has 'option method: "newton" -> "tatonnement"' out
has "^CHN " out
run 0 "runs diff --json" "$TW" runs diff 1 2 --db "$db" --json
expect_json 'j.countries.find(c => c.code === "CHN").welfare_pct[2] < 0' 'true'
expect_json 'j.countries.find(c => c.code === "USA").etr_pre_pct.length' '3'
# solve runs keep their pair and sector rows: the diff has them, B - A
expect_json '(s => [s.employment_pct.length, Math.abs(s.employment_pct[2] - (s.employment_pct[1] - s.employment_pct[0])) < 1e-12])(j.sectors.find(r => r.country === "USA" && r.sector === "AGR"))' '[3,true]'
expect_json 'j.bilateral.find(r => r.importer === "USA" && r.exporter === "CHN").etr_pre_pct.length' '3'
run 0 "runs diff --sectors --bilateral" "$TW" runs diff 1 2 --db "$db" --sectors --bilateral
has "^sectors, B - A (percentage points)" out
has "^country  sector .* employ%" out
has "^USA      AGR " out
has "^bilateral, B - A (percentage points)" out
has "^USA      CHN " out

# timelines
cat >"$tmp/s.tw" <<'EOF'
scenario "two steps"
world world2011
focus USA CHN
step 2025-02-04 "ten"
  set f CHN -> USA * 10%
step 2025-03-04 "twenty"
  set f CHN -> USA * 20%
EOF
run 0 "timeline --save --db" "$TW" timeline "$tmp/s.tw" --save --db "$db"
[ "$(cat "$tmp/err")" = "tradewar: timeline: saved run 3 in $db" ] && ok || bad "timeline save message: $(cat "$tmp/err")"
run 0 "runs show timeline" "$TW" runs show 3 --db "$db" --json
expect_json '[j.kind, j.label, j.results.steps.length, j.inputs.text.startsWith("scenario \"two steps\"")]' '["timeline","two steps",3,true]'
run 0 "diff solve vs timeline" "$TW" runs diff 1 3 --db "$db"
has "solve vs timeline" out
run 0 "diff solve vs timeline --sectors" "$TW" runs diff 1 3 --db "$db" --sectors
has "^sectors: not in both runs" out
run 0 "diff solve vs timeline --json" "$TW" runs diff 1 3 --db "$db" --json
# the US rate on China: 30 % in run 1, the baseline's plus 20 % in the timeline's last step
expect_json '(u => [u[0] > u[1], u[2] === u[1] - u[0]])(j.countries.find(c => c.code === "USA").etr_pre_pct)' '[true,true]'

# the default store: under XDG_DATA_HOME, else ~/.local/share
run 0 "solve --save to the default store" env -u TRADEWAR_DB XDG_DATA_HOME="$tmp/xdg" "$TW" solve --tariffs "$tmp/a.csv" --save
[ -f "$tmp/xdg/tradewar/runs.db" ] && ok || bad "default store not under XDG_DATA_HOME"
run 0 "default store via HOME" env -u TRADEWAR_DB -u XDG_DATA_HOME HOME="$tmp/home" "$TW" solve --tariffs "$tmp/a.csv" --save
[ -f "$tmp/home/.local/share/tradewar/runs.db" ] && ok || bad "default store not under HOME/.local/share"
run 0 "TRADEWAR_DB" env TRADEWAR_DB="$tmp/env.db" "$TW" runs list
has "no runs saved in $tmp/env.db" out

# errors
run 2 "runs without action" "$TW" runs
run 2 "runs bad action" "$TW" runs frob --db "$db"
run 2 "runs show without id" "$TW" runs show --db "$db"
run 2 "runs show bad id" "$TW" runs show x1 --db "$db"
[ "$(head -n 1 "$tmp/err")" = 'tradewar: runs: "x1" is not a run id' ] && ok || bad "bad id message: $(cat "$tmp/err")"
run 2 "runs show missing" "$TW" runs show 99 --db "$db"
[ "$(cat "$tmp/err")" = "tradewar: no run 99 in $db" ] && ok || bad "missing run message: $(cat "$tmp/err")"
printf 'not a database at all, just text\n' >"$tmp/text.db"
run 2 "runs list on a text file" "$TW" runs list --db "$tmp/text.db"
has "not a tradewar run store" err
run 0 "runs --help" "$TW" runs --help
has "runs diff ID1 ID2" out
run 2 "solve into a store that cannot be made" "$TW" solve --tariffs "$tmp/a.csv" --db "$tmp/text.db"
run 3 "solve into an unwritable folder" "$TW" solve --tariffs "$tmp/a.csv" --db /proc/tradewar/runs.db

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
