#!/usr/bin/env bash
# Every CSV the command line writes is one rectangular table: one header line,
# then rows exactly as wide (Python's csv module reads each file back), so
# pandas.read_csv, R's read.csv and Stata's import delimited read it with no
# options.  solve --csv --output writes one file per table and a .meta.json
# beside them; to standard output it refuses more than the countries table.
# usage: csv.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"
cf=$root/data/scenarios/us_china_30.csv
cd "$tmp" || exit 1

# rectangular FILE...: each a header (of distinct names) and rows of its width
rectangular() {
  /usr/bin/python3 - "$@" <<'PY'
import csv, sys
bad = 0
for path in sys.argv[1:]:
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    width = len(rows[0]) if rows else 0
    odd = [k + 1 for k, r in enumerate(rows) if len(r) != width]
    if not rows or width < 2 or odd:
        print("FAIL: %s: %d rows, header of %d fields, lines of another width: %s"
              % (path, len(rows), width, odd[:5]))
        bad += 1
    elif len(set(rows[0])) != width or any(not h for h in rows[0]):
        print("FAIL: %s: header names repeated or empty: %s" % (path, rows[0]))
        bad += 1
sys.exit(bad)
PY
}

# meta_of FILE TABLE...: FILE.meta.json holds meta and names the tables' files
meta_of() {
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
path, tables = sys.argv[1], sys.argv[2:]
d = json.load(open(path))
m = d["meta"]
want = {"version", "world", "world_hash", "elasticities", "deficits", "method", "tolerance"}
assert set(m) == want, m
assert m["world"] == "world2011" and len(m["world_hash"]) == 16, m
assert m["elasticities"] == "cp2015" and m["deficits"] == "keep" and m["method"] == "newton", m
assert sorted(d["tables"]) == sorted(tables), d["tables"]
for name in tables:
    assert name not in d, name  # the rows are in the table, not here
PY
}

check() { # LABEL FILE...
  local label=$1; shift
  rectangular "$@" && ok || bad "$label"
}

# solve: stdout holds the countries table alone
"$TW" solve --tariffs "$cf" --csv >solve.csv && check "solve --csv" solve.csv
[ "$(head -n 1 solve.csv | cut -d, -f1)" = code ] && ok || bad "solve --csv header: $(head -n 1 solve.csv)"
[ "$(wc -l <solve.csv)" = 22 ] && ok || bad "solve --csv: $(wc -l <solve.csv) lines, not 1 + 21"
expect_rc 2 "solve --csv --bilateral to stdout" "$TW" solve --tariffs "$cf" --csv --bilateral
expect_err "tradewar: solve: --csv with --bilateral: each table goes to a file of its own; give --output FILE.csv (FILE-bilateral.csv, FILE-sectors.csv beside it)"
expect_rc 2 "solve --csv --sectors to stdout" "$TW" solve --tariffs "$cf" --csv --sectors
expect_err "tradewar: solve: --csv with --sectors: each table goes to a file of its own; give --output FILE.csv (FILE-bilateral.csv, FILE-sectors.csv beside it)"

# solve --output: one file per table, the same countries as on stdout
expect_rc 0 "solve --csv --output" "$TW" solve --tariffs "$cf" --csv --bilateral --sectors --output out.csv
check "solve tables" out.csv out-bilateral.csv out-sectors.csv
cmp -s out.csv solve.csv && ok || bad "solve: out.csv differs from the stdout table"
[ "$(head -n 1 out-bilateral.csv | cut -d, -f1-2)" = importer,exporter ] && ok || bad "bilateral header"
[ "$(head -n 1 out-sectors.csv | cut -d, -f1-2)" = country,sector ] && ok || bad "sectors header"
[ "$(wc -l <out-sectors.csv)" = $((1 + 21 * 20)) ] && ok || bad "sectors: $(wc -l <out-sectors.csv) lines"
meta_of out.meta.json countries bilateral sectors && ok || bad "solve meta"
# a path without .csv: the tables and the meta beside it all the same
expect_rc 0 "solve --output without .csv" "$TW" solve --tariffs "$cf" --csv --sectors --output plain
[ -f plain ] && [ -f plain-sectors.csv ] && [ -f plain.meta.json ] && ok || bad "plain: $(ls)"
meta_of plain.meta.json countries sectors && ok || bad "plain meta"
# only the countries: no other table named
expect_rc 0 "solve --csv --output alone" "$TW" solve --tariffs "$cf" --csv --output one.csv
[ ! -e one-bilateral.csv ] && meta_of one.meta.json countries && ok || bad "one table"

# timeline, sweep, export: each CSV one table
"$TW" timeline --csv >timeline.csv && check "timeline --csv" timeline.csv
expect_rc 0 "timeline --csv --output" "$TW" timeline --csv --output tl.csv
cmp -s tl.csv timeline.csv && ok || bad "timeline: tl.csv differs from stdout"
meta_of tl.meta.json steps && ok || bad "timeline meta"
expect_rc 0 "sweep" "$TW" sweep --draws 3 --tariffs "$cf" --out draws.csv --summary summary.csv --quiet
check "sweep --out, --summary" draws.csv summary.csv
meta_of draws.meta.json draws && meta_of summary.meta.json summary && ok || bad "sweep meta"
expect_rc 0 "sweep grid" "$TW" sweep --grid USA,CHN,*:0:0.5:0.5 --out grid.csv --summary gsum.csv --quiet
check "sweep --grid" grid.csv gsum.csv
"$TW" export world --format csv >world.csv && check "export world" world.csv
"$TW" export result --tariffs "$cf" --format csv >result.csv && check "export result" result.csv

# the worlds that import and aggregate write
expect_rc 0 "import bilateral" "$TW" import bilateral --trade "$root/tests/data/import/trade3.csv" \
  --gdp "$root/tests/data/import/gdp3.csv" --gdp-columns iso,gdp_usd --gdp-scale 1e-6 --theta 4 \
  --out imported
check "import bilateral" imported/*.csv
expect_rc 0 "aggregate" "$TW" aggregate --world "$root/tests/data/good/tiny3x2" \
  --sectors "$root/tests/data/import/map_sectors_all.csv" --out aggregated
check "aggregate" aggregated/*.csv
finish
