#!/usr/bin/env bash
# Seed corpora for the fuzz targets, made from the test data: every good and
# bad world of tests/data (as one input each, files joined by 0x1E in the
# order fuzz_world.c reads them), the scenario corpus and shipped scenarios,
# the counterfactual and NTB files, and request bodies like those of
# tests/server/api.sh on the test worlds' codes.
# usage: seeds.sh OUTDIR   (writes OUTDIR/fuzz_{world,scenario,counterfactual,json}/)
set -euo pipefail
out=$1
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$out"/fuzz_world "$out"/fuzz_scenario "$out"/fuzz_counterfactual "$out"/fuzz_json

# worlds: countries, sectors, trade, tariffs, io, value_added, final_demand, meta
files=(countries sectors trade tariffs io value_added final_demand meta)
for d in "$root"/tests/data/good/tiny* "$root"/tests/data/bad/*; do
  name=$(basename "$d")
  case "$name" in cf_* | ntb_*) continue ;; esac
  {
    for k in "${!files[@]}"; do
      [ "$k" -gt 0 ] && printf '\036'
      [ -f "$d/${files[$k]}.csv" ] && cat "$d/${files[$k]}.csv"
    done
  } >"$out/fuzz_world/$name"
done

# scenarios
for f in "$root"/tests/data/scenarios/bad/*.tw "$root"/data/scenarios/*.tw; do
  cp "$f" "$out/fuzz_scenario/$(basename "$f")"
done
cat >"$out/fuzz_scenario/tiny_two_steps.tw" <<'TW'
scenario "two steps on tiny3x2"
world tiny3x2
focus USA CHN
event big "a bigger second step"
rule mirror USA CHN delay 7 if big
step 2025-02-04 "ten"
  set f CHN -> USA GDS 10%
  ntb n CHN -> USA * factor 1.1 if !big
step 2025-03-04 "twenty" if big
  add f CHN -> USA * 20% share 0.5 ref timeline:3
  exempt f CHN -> USA GDS share 0.2
  remove f
TW

# counterfactual and NTB files
for f in "$root"/tests/data/good/cf/*.csv "$root"/tests/data/bad/cf_*/*.csv \
         "$root"/tests/data/bad/ntb_*/*.csv "$root"/data/scenarios/*.csv; do
  head -1 "$f" | grep -q '^importer,exporter' || continue
  cp "$f" "$out/fuzz_counterfactual/$(basename "$(dirname "$f")")_$(basename "$f")"
done

# request bodies: the first byte picks the endpoint (s, t, o, n, k)
j=$out/fuzz_json
printf 's%s' '{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"*","rate":1.45},{"importer":"CHN","exporter":"USA","sector":"*","rate":1.25}]}' >"$j/solve"
printf 's%s' '{"world":"tiny3x2","ntb":[{"importer":"CHN","exporter":"USA","sector":"SRV","factor":1.2}],"bilateral":false,"sectors":true,"method":"tatonnement","deficits":"purge","tol":1e-8}' >"$j/solve_ntb"
printf 's%s' '{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"SRV","rate":0.3}],"label":"x"}' >"$j/solve_bad_sector"
printf 's%s' '{"tariffs":[{"importer":"USA","exporter":"USA","sector":"*","rate":0.1}]}' >"$j/solve_domestic"
printf 's%s' '{"world":"tiny2x1","tariffs":[{"importer":"*","exporter":"*","sector":"*","rate":0.5}],"save":false}' >"$j/solve_tiny2x1"
printf 's%s' '{"tariffs":[{"importer":"USA","exporter":"CHN","sector":"*","rate":0.3},' >"$j/solve_malformed"
printf 't%s' '{"text":"scenario \"two\"\nfocus USA CHN\nevent big \"bigger\"\nstep 2025-02-04 \"ten\"\n  set f CHN -> USA * 10%\nstep 2025-03-04 \"fifty\" if big\n  set f CHN -> USA * 50%\n","set":["big"],"method":"newton"}' >"$j/timeline"
printf 't%s' '{"scenario":"us-china-2025"}' >"$j/timeline_name"
printf 'o%s' '{"country":"USA","against":["CHN"],"instrument":"uniform","max_tariff":2}' >"$j/optimal"
printf 'o%s' '{"country":"USA","against":"all","instrument":"partner","tariffs":[{"importer":"CHN","exporter":"USA","sector":"*","rate":0.2}]}' >"$j/optimal_partner"
printf 'n%s' '{"players":["USA","CHN"],"all_partners":true,"instrument":"uniform"}' >"$j/nash"
printf 'k%s' '{"players":["USA","CHN"],"max_tariff":1}' >"$j/talks"
