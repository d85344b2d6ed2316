#!/usr/bin/env bash
# data/world2023: scripts/build-world2023 rebuilds it from the repository alone,
# byte for byte; it loads and validates, its zero shock moves nothing, and a
# solve agrees with the second method (tatonnement).  usage: world2023.sh PATH/TO/tradewar
set -u
. "$(dirname "$0")/../common/prologue.sh"

expect_rc 0 "build-world2023" scripts/build-world2023 --tradewar "$TW" --out "$tmp/w" --work "$tmp/steps"
grep -q "^build-world2023: wrote $tmp/w$" "$tmp/out" && ok || bad "build message: $(tail -1 "$tmp/out")"
sed -i "s#$tmp/steps#build/world2023-steps#g" "$tmp/w/README.md"
diff -r data/world2023 "$tmp/w" >"$tmp/diff" && ok || bad "rebuilt world differs: $(head -5 "$tmp/diff")"

expect_rc 0 "validate" "$TW" validate --world data/world2023
grep -q '^ok: data/world2023: 22 countries x 20 sectors$' "$tmp/out" && ok || bad "validate: $(cat "$tmp/out")"

# the zero shock: every welfare change within 1e-12 %
expect_rc 0 "zero shock" "$TW" solve --world data/world2023 --json
node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const m = Math.max(...j.countries.map((c) => Math.abs(c.welfare_pct)));
process.exit(m <= 1e-12 && j.baseline_gap === null ? 0 : 1);' "$tmp/out" && ok || bad "zero shock moves welfare"

# 145 % / 125 %: Newton and tatonnement give the same equilibrium
expect_rc 0 "newton" "$TW" solve --world data/world2023 --tariffs data/scenarios/us_china_145_125.csv --json --tol 1e-12
cp "$tmp/out" "$tmp/newton.json"
expect_rc 0 "tatonnement" "$TW" solve --world data/world2023 --tariffs data/scenarios/us_china_145_125.csv --json \
  --method tatonnement --tol 1e-12
node -e '
const fs = require("fs"), rd = (f) => JSON.parse(fs.readFileSync(f, "utf8"));
const a = rd(process.argv[1]), b = rd(process.argv[2]);
const d = Math.max(...a.countries.map((c, k) => Math.abs(c.welfare_pct - b.countries[k].welfare_pct)));
process.exit(d <= 1e-7 && a.countries.length === 22 ? 0 : 1);' "$tmp/newton.json" "$tmp/out" && ok ||
  bad "newton and tatonnement differ on world2023"

# the baseline holds the status quo of the 2025 scenario (baseline_layers.csv):
# its first step changes no welfare, and the US rate on China is the baseline's
expect_rc 0 "timeline" "$TW" timeline data/scenarios/us-china-2025.tw --world data/world2023 --json
node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const s = j.steps[1], b = j.steps[0];
const m = Math.max(...s.countries.map((c) => Math.abs(c.welfare_pct)));
const etr = (st) => st.countries.find((c) => c.code === "USA").etr_pre_pct;
process.exit(s.date === "2025-01-01" && m <= 1e-9 && Math.abs(etr(s) - etr(b)) <= 1e-9 &&
  j.steps.every((x) => x.converged) ? 0 : 1);' "$tmp/out" && ok || bad "the status quo is not in world2023's baseline"
[ "$(wc -l <data/world2023/baseline_layers.csv)" -gt 50 ] && ok || bad "baseline_layers.csv rows"

# Viet Nam is a country of its own, the US household count is there
expect_rc 0 "info" "$TW" info --world data/world2023
grep -q 'VNM' "$tmp/out" && ok || bad "info lists VNM"
expect_rc 0 "households" "$TW" solve --world data/world2023 --tariffs data/scenarios/us_china_145_125.csv --json
node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const u = j.countries.find((c) => c.code === "USA");
process.exit(Math.abs(u.ev_per_household - u.ev / 131430000) <= 1e-12 * Math.abs(u.ev_per_household) ? 0 : 1);' \
  "$tmp/out" && ok || bad "EV per US household"
finish
